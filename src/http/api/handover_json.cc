#include "http/api/handover_json.h"

#include "http/api/json_out.h"
#include "http/server/json_input.h"
#include "services/handovers/slip_rules.h"

namespace baomi::http::api {
namespace {

namespace json = boost::json;
using services::SlipView;

constexpr std::size_t kMaxItems = 100;

json::value opt_text(const std::optional<std::string>& s) {
  if (s) return json::value(*s);
  return nullptr;
}

json::object copy_json(const services::SlipCopy& c) {
  return {{"department", c.department},
          {"version", c.version},
          {"content_hash", c.content_hash},
          {"acknowledged", c.acknowledged_at.has_value()},
          {"acknowledged_by", opt_text(c.acknowledged_by)},
          {"acknowledged_at", optional_time(c.acknowledged_at)}};
}

json::array copies_of(const SlipView& v, std::uint64_t version) {
  json::array out;
  for (const auto& c : v.copies) {
    if (c.version == version) out.push_back(copy_json(c));
  }
  return out;
}

json::value confirmation_json(const SlipView& v, int index) {
  for (const auto& c : v.slip.progress.confirmations) {
    if (c.index != index) continue;
    return json::object{{"done", c.done},
                        {"note", opt_text(c.note)},
                        {"by", c.by},
                        {"at", format_rfc3339(c.at)},
                        {"late", c.late}};
  }
  return nullptr;
}

json::array items_json(const SlipView& v, const services::SlipContent& content, bool current) {
  json::array out;
  for (std::size_t i = 0; i < content.items.size(); ++i) {
    const auto& item = content.items[i];
    json::object o{{"index", i},
                   {"summary", item.summary},
                   {"customer_id", opt_text(item.customer_id)},
                   {"priority", services::priority_name(item.priority)}};
    if (item.carried_from) {
      o["carried_from"] =
          json::object{{"id", item.carried_from->slip_id}, {"index", item.carried_from->index}};
    } else {
      o["carried_from"] = nullptr;
    }
    o["confirmation"] = current ? confirmation_json(v, static_cast<int>(i)) : json::value(nullptr);
    out.push_back(std::move(o));
  }
  return out;
}

void put_content(json::object& out, const SlipView& v, const services::SlipVersion& sv,
                 bool current) {
  if (!sv.content) {
    out["items"] = nullptr;
    out["notes"] = nullptr;
    out["reason"] = nullptr;
    return;
  }
  out["items"] = items_json(v, *sv.content, current);
  out["notes"] = opt_text(sv.content->notes);
  out["reason"] = opt_text(sv.content->reason);
}

json::array versions_json(const SlipView& v) {
  json::array out;
  for (const auto& sv : v.versions) {
    out.push_back(json::object{
        {"version", sv.version},
        {"author_id", sv.author_id},
        {"created_at", format_rfc3339(sv.created_at)},
        {"content_hash", sv.content_hash},
        {"prev_hash", sv.prev_hash.empty() ? json::value(nullptr) : json::value(sv.prev_hash)}});
  }
  return out;
}

json::array holds_json(const SlipView& v) {
  json::array out;
  for (const auto& h : v.slip.progress.holds) {
    out.push_back(json::object{{"action", h.placed ? "placed" : "released"},
                               {"by", h.by},
                               {"at", format_rfc3339(h.at)},
                               {"reason", h.reason}});
  }
  return out;
}

Result<std::vector<services::SlipItem>> parse_items(JsonFields& f) {
  BAOMI_ASSIGN_OR_RETURN(auto objects, f.object_array("items", true, kMaxItems));
  std::vector<services::SlipItem> items;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    JsonFields item(objects[i], "items[" + std::to_string(i) + "].");
    services::SlipItem it;
    BAOMI_ASSIGN_OR_RETURN(it.summary, item.required_text("summary", 1000, TextShape::kParagraphs));
    BAOMI_ASSIGN_OR_RETURN(it.customer_id, item.optional_string("customer_id", 64));
    BAOMI_ASSIGN_OR_RETURN(auto priority, item.optional_string("priority", 16));
    if (priority) {
      auto p = services::priority_from_name(*priority);
      if (!p) {
        return Error::invalid("invalid_field",
                              item.label("priority") + " must be low, normal or high");
      }
      it.priority = *p;
    }
    BAOMI_TRY(item.finish());
    items.push_back(std::move(it));
  }
  return items;
}

}  // namespace

json::object slip_json(const policy::Policy& policy, const SlipView& v) {
  const auto& s = v.slip;
  std::string display;
  for (const auto& shift : policy.handovers().shifts) {
    if (shift.name == s.shift_name) display = shift.display;
  }
  json::object out{
      {"id", s.id},
      {"state", services::slip_state_name(v.state)},
      {"version", s.current_version},
      {"shift", s.shift_name},
      {"shift_display", display},
      {"date", s.shift_date},
      {"author_id", s.author_id},
      {"created_at", format_rfc3339(s.created_at)},
      {"updated_at", format_rfc3339(s.updated_at)},
      {"due_at", format_rfc3339(s.due_at)},
      {"confirmed_at", optional_time(s.confirmed_at)},
      {"retain_until", optional_time(s.retain_until)},
      {"hold", s.hold},
      {"carried_from", s.carried_from.empty() ? json::value(nullptr) : json::value(s.carried_from)},
      {"content_visible", v.content_visible}};
  json::array carried_to;
  for (const auto& id : v.carried_to) carried_to.push_back(json::value(id));
  out["carried_to"] = std::move(carried_to);
  if (const auto* cur = v.current()) {
    out["content_hash"] = cur->content_hash;
    out["prev_hash"] = cur->prev_hash.empty() ? json::value(nullptr) : json::value(cur->prev_hash);
    put_content(out, v, *cur, true);
  }
  out["copies"] = copies_of(v, s.current_version);
  out["versions"] = versions_json(v);
  if (v.content_visible) out["holds"] = holds_json(v);
  return out;
}

json::object slip_version_json(const SlipView& v, std::uint64_t version) {
  const auto& sv = v.versions.at(version - 1);
  json::object out{
      {"id", v.slip.id},
      {"version", sv.version},
      {"current", sv.version == v.slip.current_version},
      {"author_id", sv.author_id},
      {"created_at", format_rfc3339(sv.created_at)},
      {"content_hash", sv.content_hash},
      {"prev_hash", sv.prev_hash.empty() ? json::value(nullptr) : json::value(sv.prev_hash)},
      {"content_visible", sv.content.has_value()}};
  put_content(out, v, sv, sv.version == v.slip.current_version);
  out["copies"] = copies_of(v, version);
  return out;
}

json::object purge_json(const services::PurgeReceipt& r) {
  json::array hashes;
  for (const auto& h : r.content_hashes) hashes.push_back(json::value(h));
  return {{"id", r.id},
          {"state", "purged"},
          {"purged_at", format_rfc3339(r.purged_at)},
          {"content_hashes", std::move(hashes)},
          {"tombstone", r.statement},
          {"signature", r.signature}};
}

Result<services::NewSlip> parse_new_slip(const std::string& body, bool with_items) {
  BAOMI_ASSIGN_OR_RETURN(auto obj, parse_json_object(body));
  JsonFields f(obj);
  services::NewSlip spec;
  BAOMI_ASSIGN_OR_RETURN(spec.shift, f.required_string("shift", 32));
  BAOMI_ASSIGN_OR_RETURN(spec.date, f.optional_string("date", 10));
  if (with_items) {
    BAOMI_ASSIGN_OR_RETURN(spec.items, parse_items(f));
  }
  BAOMI_ASSIGN_OR_RETURN(spec.notes, f.optional_text("notes", 4000, TextShape::kParagraphs));
  BAOMI_TRY(f.finish());
  return spec;
}

Result<services::Correction> parse_correction(const std::string& body) {
  BAOMI_ASSIGN_OR_RETURN(auto obj, parse_json_object(body));
  JsonFields f(obj);
  services::Correction c;
  BAOMI_ASSIGN_OR_RETURN(c.items, parse_items(f));
  BAOMI_ASSIGN_OR_RETURN(c.notes, f.optional_text("notes", 4000, TextShape::kParagraphs));
  BAOMI_ASSIGN_OR_RETURN(c.reason, f.required_text("reason", 4000, TextShape::kParagraphs));
  BAOMI_TRY(f.finish());
  return c;
}

Result<std::vector<services::ItemConfirmation>> parse_confirmation(const std::string& body) {
  BAOMI_ASSIGN_OR_RETURN(auto obj, parse_json_object(body));
  JsonFields f(obj);
  BAOMI_ASSIGN_OR_RETURN(auto objects, f.object_array("items", true, kMaxItems));
  BAOMI_TRY(f.finish());
  std::vector<services::ItemConfirmation> out;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    JsonFields item(objects[i], "items[" + std::to_string(i) + "].");
    services::ItemConfirmation c;
    BAOMI_ASSIGN_OR_RETURN(auto index, item.required_int("index", 0, 999));
    c.index = static_cast<int>(index);
    BAOMI_ASSIGN_OR_RETURN(c.done, item.required_bool("done"));
    BAOMI_ASSIGN_OR_RETURN(c.note, item.optional_text("note", 2000, TextShape::kParagraphs));
    BAOMI_TRY(item.finish());
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::string> parse_reason(const std::string& body) {
  BAOMI_ASSIGN_OR_RETURN(auto obj, parse_json_object(body));
  JsonFields f(obj);
  BAOMI_ASSIGN_OR_RETURN(auto reason, f.required_text("reason", 2000, TextShape::kParagraphs));
  BAOMI_TRY(f.finish());
  return reason;
}

}  // namespace baomi::http::api
