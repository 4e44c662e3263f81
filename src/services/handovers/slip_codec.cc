#include "services/handovers/slip_codec.h"

#include "services/workflow/json_fields.h"

namespace baomi::services {
namespace {

namespace json = boost::json;

json::object item_to_json(const SlipItem& item) {
  json::object o;
  o["summary"] = item.summary;
  if (item.customer_id) o["customer_id"] = *item.customer_id;
  o["priority"] = priority_name(item.priority);
  if (item.carried_from) {
    o["from_slip"] = item.carried_from->slip_id;
    o["from_index"] = item.carried_from->index;
  }
  return o;
}

Result<SlipItem> item_from_json(const json::value& v) {
  BodyReader r(v);
  SlipItem item;
  BAOMI_ASSIGN_OR_RETURN(item.summary, r.string("summary"));
  BAOMI_ASSIGN_OR_RETURN(item.customer_id, r.optional_string("customer_id"));
  BAOMI_ASSIGN_OR_RETURN(auto priority, r.string("priority"));
  auto p = priority_from_name(priority);
  if (!p) return Error::integrity("a stored slip item is malformed");
  item.priority = *p;
  BAOMI_ASSIGN_OR_RETURN(auto from, r.optional_string("from_slip"));
  if (from) {
    BAOMI_ASSIGN_OR_RETURN(int index, r.integer("from_index"));
    item.carried_from = ItemOrigin{*from, index};
  }
  return item;
}

const json::array* array_of(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v ? v->if_array() : nullptr;
}

}  // namespace

json::object content_to_json(const SlipContent& c) {
  json::object o;
  o["slip_id"] = c.slip_id;
  o["version"] = static_cast<std::int64_t>(c.version);
  o["author_id"] = c.author_id;
  o["shift_date"] = c.shift_date;
  o["shift_name"] = c.shift_name;
  o["created_at"] = to_micros(c.created_at);
  json::array items;
  for (const auto& item : c.items) items.push_back(item_to_json(item));
  o["items"] = std::move(items);
  if (c.notes) o["notes"] = *c.notes;
  if (c.reason) o["reason"] = *c.reason;
  o["prev_hash"] = c.prev_hash;
  o["carried_from"] = c.carried_from;
  o["salt"] = c.salt;
  return o;
}

Result<SlipContent> content_from_json(const json::object& o) {
  BodyReader r(o);
  SlipContent c;
  BAOMI_ASSIGN_OR_RETURN(c.slip_id, r.string("slip_id"));
  BAOMI_ASSIGN_OR_RETURN(int version, r.integer("version"));
  c.version = static_cast<std::uint64_t>(version);
  BAOMI_ASSIGN_OR_RETURN(c.author_id, r.string("author_id"));
  BAOMI_ASSIGN_OR_RETURN(c.shift_date, r.string("shift_date"));
  BAOMI_ASSIGN_OR_RETURN(c.shift_name, r.string("shift_name"));
  BAOMI_ASSIGN_OR_RETURN(c.created_at, r.time("created_at"));
  const auto* items = array_of(o, "items");
  if (!items) return Error::integrity("a stored slip is malformed");
  for (const auto& v : *items) {
    BAOMI_ASSIGN_OR_RETURN(auto item, item_from_json(v));
    c.items.push_back(std::move(item));
  }
  BAOMI_ASSIGN_OR_RETURN(c.notes, r.optional_string("notes"));
  BAOMI_ASSIGN_OR_RETURN(c.reason, r.optional_string("reason"));
  BAOMI_ASSIGN_OR_RETURN(c.prev_hash, r.string("prev_hash"));
  BAOMI_ASSIGN_OR_RETURN(c.carried_from, r.string("carried_from"));
  BAOMI_ASSIGN_OR_RETURN(c.salt, r.string("salt"));
  return c;
}

json::object progress_to_json(const SlipProgress& p) {
  json::object o;
  o["version"] = static_cast<std::int64_t>(p.version);
  json::array confirmations;
  for (const auto& c : p.confirmations) {
    json::object j;
    j["index"] = c.index;
    j["done"] = c.done;
    if (c.note) j["note"] = *c.note;
    j["by"] = c.by;
    j["at"] = to_micros(c.at);
    j["late"] = c.late;
    confirmations.push_back(std::move(j));
  }
  o["confirmations"] = std::move(confirmations);
  json::array holds;
  for (const auto& h : p.holds) {
    json::object j;
    j["placed"] = h.placed;
    j["by"] = h.by;
    j["at"] = to_micros(h.at);
    j["reason"] = h.reason;
    holds.push_back(std::move(j));
  }
  o["holds"] = std::move(holds);
  return o;
}

Result<SlipProgress> progress_from_json(const json::object& o) {
  BodyReader r(o);
  SlipProgress p;
  BAOMI_ASSIGN_OR_RETURN(int version, r.integer("version"));
  p.version = static_cast<std::uint64_t>(version);
  const auto* confirmations = array_of(o, "confirmations");
  const auto* holds = array_of(o, "holds");
  if (!confirmations || !holds) return Error::integrity("a stored slip is malformed");
  for (const auto& v : *confirmations) {
    BodyReader c(v);
    Confirmation x;
    BAOMI_ASSIGN_OR_RETURN(x.index, c.integer("index"));
    BAOMI_ASSIGN_OR_RETURN(x.done, c.boolean("done"));
    BAOMI_ASSIGN_OR_RETURN(x.note, c.optional_string("note"));
    BAOMI_ASSIGN_OR_RETURN(x.by, c.string("by"));
    BAOMI_ASSIGN_OR_RETURN(x.at, c.time("at"));
    BAOMI_ASSIGN_OR_RETURN(x.late, c.boolean("late"));
    p.confirmations.push_back(std::move(x));
  }
  for (const auto& v : *holds) {
    BodyReader h(v);
    HoldEvent x;
    BAOMI_ASSIGN_OR_RETURN(x.placed, h.boolean("placed"));
    BAOMI_ASSIGN_OR_RETURN(x.by, h.string("by"));
    BAOMI_ASSIGN_OR_RETURN(x.at, h.time("at"));
    BAOMI_ASSIGN_OR_RETURN(x.reason, h.string("reason"));
    p.holds.push_back(std::move(x));
  }
  return p;
}

}  // namespace baomi::services
