#include "http/api/customer_json.h"

#include "http/server/json_input.h"

namespace baomi::http::api {
namespace {

using policy::CustomerField;

constexpr std::size_t kMaxFieldInput = 2000;  // the service applies each field's own limit

}  // namespace

boost::json::object customer_json(const policy::Policy& policy, const services::CustomerView& v) {
  const auto& c = v.customer;
  boost::json::object o;
  o["id"] = c.id;
  o["level"] = policy.level_name(c.level);
  boost::json::array cats;
  for (const auto& n : policy.category_names(c.categories)) cats.emplace_back(n);
  o["categories"] = std::move(cats);
  boost::json::array unmasked;
  for (int i = 0; i < policy::kCustomerFieldCount; ++i) {
    const auto f = static_cast<CustomerField>(i);
    const auto name = policy::customer_field_api_name(f);
    if (c.field(f).empty()) {
      o[name] = nullptr;
    } else {
      o[name] = c.field(f);
    }
    if (v.unmasked & policy::field_bit(f)) unmasked.emplace_back(name);
  }
  o["masked"] = v.unmasked == 0;
  o["unmasked"] = std::move(unmasked);
  o["created_at"] = format_rfc3339(c.created_at);
  o["updated_at"] = format_rfc3339(c.updated_at);
  o["created_by"] = c.created_by;
  o["revision"] = c.revision;
  return o;
}

boost::json::object contact_json(const services::ContactEntry& e) {
  boost::json::object o;
  o["id"] = e.id;
  o["customer_id"] = e.customer_id;
  o["seq"] = e.seq;
  o["created_at"] = format_rfc3339(e.created_at);
  o["handled_by"] = e.handled_by;
  o["channel"] = e.channel;
  o["type"] = e.type;
  o["content"] = e.content;
  if (e.corrects) {
    o["corrects"] = *e.corrects;
  } else {
    o["corrects"] = nullptr;
  }
  return o;
}

Result<services::CustomerInput> parse_customer_input(const std::string& body) {
  BAOMI_ASSIGN_OR_RETURN(auto obj, parse_json_object(body));
  JsonFields f(obj);
  services::CustomerInput in;
  for (int i = 0; i < policy::kCustomerFieldCount; ++i) {
    const auto name = policy::customer_field_api_name(static_cast<CustomerField>(i));
    BAOMI_ASSIGN_OR_RETURN(in.fields[static_cast<std::size_t>(i)],
                           f.optional_string(name, kMaxFieldInput));
  }
  BAOMI_ASSIGN_OR_RETURN(in.level, f.optional_string("level", 32));
  if (obj.contains("categories")) {
    BAOMI_ASSIGN_OR_RETURN(in.categories, f.string_array("categories", false, 32, 64));
  }
  BAOMI_TRY(f.finish());
  return in;
}

Result<services::ContactInput> parse_contact_input(const std::string& body) {
  BAOMI_ASSIGN_OR_RETURN(auto obj, parse_json_object(body));
  JsonFields f(obj);
  services::ContactInput in;
  BAOMI_ASSIGN_OR_RETURN(in.channel, f.required_string("channel", 16));
  BAOMI_ASSIGN_OR_RETURN(in.type, f.required_string("type", 32));
  BAOMI_ASSIGN_OR_RETURN(in.content, f.required_string("content", 10000));
  BAOMI_ASSIGN_OR_RETURN(in.corrects, f.optional_string("corrects", 64));
  BAOMI_TRY(f.finish());
  return in;
}

Result<services::UnmaskRequest> parse_unmask(const Request& req) {
  services::UnmaskRequest u;
  const auto unmask = req.query("unmask");
  const auto reason = req.query("reason");
  if (!unmask) {
    if (reason) {
      return Error::invalid("invalid_field", "query parameter 'reason' applies only with 'unmask'");
    }
    return u;
  }
  std::string_view rest = *unmask;
  while (!rest.empty() || u.fields == 0) {
    const auto comma = rest.find(',');
    const auto name = rest.substr(0, comma);
    const auto field = policy::customer_field_from_api_name(name);
    if (!field) {
      return Error::invalid("invalid_field", "query parameter 'unmask' names an unknown field '" +
                                                 std::string(name.substr(0, 32)) + "'");
    }
    u.fields |= policy::field_bit(*field);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  u.reason = reason.value_or("");
  return u;
}

}  // namespace baomi::http::api
