#include "services/customers/customer_record.h"

#include <boost/json.hpp>

#include "barrier/records.h"
#include "services/workflow/json_fields.h"

namespace baomi::services {
namespace {

using policy::CustomerField;

std::string customer_owner(const CustomerRecord& c) { return "cust:" + c.id; }
std::string customer_seal_id(const CustomerRecord& c) { return c.id; }

std::string contact_body(const ContactEntry& e) {
  boost::json::object body;
  body["channel"] = e.channel;
  body["type"] = e.type;
  body["content"] = e.content;
  if (e.corrects) body["corrects"] = *e.corrects;
  return boost::json::serialize(body);
}

Result<void> set_contact_body(ContactEntry& e, std::string text) {
  boost::system::error_code ec;
  auto value = boost::json::parse(text, ec);
  if (ec) return Error::integrity("contact entry " + e.id + " is damaged");
  BodyReader body(value);
  BAOMI_ASSIGN_OR_RETURN(e.channel, body.string("channel"));
  BAOMI_ASSIGN_OR_RETURN(e.type, body.string("type"));
  BAOMI_ASSIGN_OR_RETURN(e.content, body.string("content"));
  BAOMI_ASSIGN_OR_RETURN(e.corrects, body.optional_string("corrects"));
  return {};
}

Result<void> set_seq(ContactEntry& e, const barrier::Value& v) {
  const auto* n = std::get_if<std::int64_t>(&v);
  if (!n || *n < 1) return Error::integrity("a stored contact entry has a malformed seq");
  e.seq = static_cast<std::uint64_t>(*n);
  return {};
}

barrier::RecordType<CustomerRecord> declare_customers() {
  auto type = barrier::RecordType<CustomerRecord>("customers")
                  .key("id", &CustomerRecord::id)
                  .text("level", &CustomerRecord::level)
                  .text("categories", &CustomerRecord::categories)
                  .time("created_at", &CustomerRecord::created_at)
                  .time("updated_at", &CustomerRecord::updated_at)
                  .text("created_by", &CustomerRecord::created_by)
                  .revision("revision", &CustomerRecord::revision)
                  .data_key("wrapped_key", customer_owner, customer_seal_id);
  for (std::size_t i = 0; i < policy::kCustomerFieldCount; ++i) {
    const std::string name(policy::customer_field_api_name(static_cast<CustomerField>(i)));
    type.sealed(
            "sealed_" + name, name, [i](const CustomerRecord& c) { return c.fields[i]; },
            [i](CustomerRecord& c, std::string v) -> Result<void> {
              c.fields[i] = std::move(v);
              return {};
            })
        .unset_when_empty();
  }
  type.mac("mac");
  return type;
}

}  // namespace

const barrier::RecordType<CustomerRecord>& customer_record_type() {
  // Same layout and MAC bytes as before the record layer (the MAC covers every column, the
  // wrapped key and the sealed fields included), so existing customer records open.
  static const auto type = declare_customers();
  return type;
}

const barrier::RecordType<ContactEntry>& contact_record_type() {
  // Same layout and MAC bytes as before the record layer. The body is bound to its customer
  // and entry (associated data "<customer>/<entry>"): a box moved elsewhere fails to open.
  static const auto type =
      barrier::RecordType<ContactEntry>("customer_contacts")
          .key("id", &ContactEntry::id)
          .text("customer_id", &ContactEntry::customer_id)
          .custom(
              {"seq", barrier::ColumnType::kInteger, false},
              [](const ContactEntry& e) {
                return barrier::Value(static_cast<std::int64_t>(e.seq));
              },
              set_seq)
          .time("created_at", &ContactEntry::created_at)
          .text("handled_by", &ContactEntry::handled_by)
          .parent_data_key(
              customer_record_type(),
              [](const ContactEntry& e) { return barrier::Row{e.customer_id}; },
              [](const ContactEntry& e) { return e.customer_id + "/" + e.id; })
          .sealed("sealed_body", "contact", contact_body, set_contact_body)
          .mac("mac")
          .append_only()  // C5: no update or delete path, down to the engine
          .index("customer_contacts_order", {"customer_id", "seq"}, true)
          .index("customer_contacts_handler", {"handled_by", "created_at"});
  return type;
}

const barrier::Table& customer_index_table() {
  static const barrier::Table table = [] {
    barrier::Table t;
    t.name = "customer_index";
    t.columns = {{"field", barrier::ColumnType::kText, false},
                 {"value", barrier::ColumnType::kText, false},
                 {"customer_id", barrier::ColumnType::kText, false}};
    t.key_size = 3;  // one row per customer and field; the key serves the lookup
    t.indexes = {{"customer_index_owner", {"customer_id"}, false, ""}};
    return t;
  }();
  return table;
}

}  // namespace baomi::services
