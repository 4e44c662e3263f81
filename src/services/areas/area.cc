#include "services/areas/area.h"

#include <algorithm>
#include <array>

#include "audit/detail.h"
#include "core/enum_names.h"
#include "services/workflow/json_fields.h"

namespace baomi::services {
namespace {

namespace json = boost::json;

constexpr std::array<std::string_view, 4> kAreaKindNames = {"information_room", "archive",
                                                            "computer_room", "other"};
constexpr std::array<std::string_view, 3> kListNames = {"authorised", "keepers", "terminals"};

json::array strings_json(const std::vector<std::string>& items) {
  json::array out;
  for (const auto& s : items) out.emplace_back(s);
  return out;
}

Result<std::vector<std::string>> area_strings(const json::object& body, std::string_view key) {
  std::vector<std::string> out;
  const auto* v = body.if_contains(key);
  if (!v || !v->is_array()) return Error::integrity("a stored area is malformed");
  for (const auto& item : v->as_array()) {
    if (!item.is_string()) return Error::integrity("a stored area is malformed");
    out.emplace_back(item.as_string());
  }
  return out;
}

}  // namespace

std::string_view area_kind_name(AreaKind kind) { return enum_name(kAreaKindNames, kind); }
std::optional<AreaKind> area_kind_from_name(std::string_view name) {
  return enum_from_name<AreaKind>(kAreaKindNames, name);
}
std::string_view area_list_name(AreaList list) { return enum_name(kListNames, list); }

const std::vector<std::string>& Area::list(AreaList which) const {
  switch (which) {
    case AreaList::kKeepers:
      return keepers;
    case AreaList::kTerminals:
      return terminals;
    case AreaList::kAuthorised:
      break;
  }
  return authorised;
}

std::vector<std::string>& Area::list(AreaList which) {
  return const_cast<std::vector<std::string>&>(std::as_const(*this).list(which));
}

bool Area::lists(AreaList which, std::string_view user_id) const {
  const auto& l = list(which);
  return !user_id.empty() && std::find(l.begin(), l.end(), user_id) != l.end();
}

std::string visit_owner(std::string_view visit_id) { return "visit:" + std::string(visit_id); }

std::string Passage::owner() const { return visit_id ? visit_owner(*visit_id) : person_id; }

StoredObject to_object(const Area& a) {
  StoredObject o;
  o.kind = std::string(kAreaKind);
  o.id = a.id;
  o.state = "active";
  o.owner_id = a.changed_by;
  o.created_at = a.created_at;
  o.updated_at = a.updated_at;
  o.revision = a.revision;
  o.body["name"] = a.name;
  o.body["kind"] = area_kind_name(a.kind);
  o.body["level"] = policy::level_api_name(a.level);
  o.body["authorised"] = strings_json(a.authorised);
  o.body["keepers"] = strings_json(a.keepers);
  o.body["terminals"] = strings_json(a.terminals);
  o.body["requestable"] = a.requestable;
  return o;
}

Result<Area> area_from_object(const StoredObject& o) {
  Area a;
  a.id = o.id;
  a.changed_by = o.owner_id;
  a.created_at = o.created_at;
  a.updated_at = o.updated_at;
  a.revision = o.revision;
  BodyReader r(o.body);
  BAOMI_ASSIGN_OR_RETURN(a.name, r.string("name"));
  BAOMI_ASSIGN_OR_RETURN(const auto kind, r.string("kind"));
  BAOMI_ASSIGN_OR_RETURN(const auto level, r.string("level"));
  const auto k = area_kind_from_name(kind);
  const auto l = policy::level_from_api_name(level);
  if (!k || !l) return Error::integrity("a stored area is malformed");
  a.kind = *k;
  a.level = *l;
  BAOMI_ASSIGN_OR_RETURN(a.authorised, area_strings(o.body, "authorised"));
  BAOMI_ASSIGN_OR_RETURN(a.keepers, area_strings(o.body, "keepers"));
  BAOMI_ASSIGN_OR_RETURN(a.terminals, area_strings(o.body, "terminals"));
  if (r.find("requestable")) {  // areas stored before visits could be asked for by staff
    BAOMI_ASSIGN_OR_RETURN(a.requestable, r.boolean("requestable"));
  }
  return a;
}

StoredObject to_object(const Passage& p) {
  StoredObject o;
  o.kind = std::string(kPassageKind);
  o.id = p.id;
  o.state = p.inside ? "inside" : "left";
  o.document_id = p.area_id;
  o.owner_id = p.owner();
  o.created_at = p.entered_at;
  o.updated_at = p.left_at.value_or(p.entered_at);
  o.revision = p.revision;
  o.body["entered_by"] = p.entered_by;
  o.body["person_id"] = p.person_id;
  if (p.visit_id) o.body["visit_id"] = *p.visit_id;
  if (p.escort_id) o.body["escort_id"] = *p.escort_id;
  if (p.visitor_name) o.body["visitor_name"] = *p.visitor_name;
  if (p.visitor_organisation) o.body["visitor_organisation"] = *p.visitor_organisation;
  if (p.left_at) o.body["left_at"] = to_micros(*p.left_at);
  if (p.left_by) o.body["left_by"] = *p.left_by;
  return o;
}

Result<Passage> passage_from_object(const StoredObject& o) {
  Passage p;
  p.id = o.id;
  p.area_id = o.document_id;
  p.entered_at = o.created_at;
  p.revision = o.revision;
  if (o.state != "inside" && o.state != "left") {
    return Error::integrity("a stored passage has an unknown state");
  }
  p.inside = o.state == "inside";
  BodyReader r(o.body);
  BAOMI_ASSIGN_OR_RETURN(p.entered_by, r.string("entered_by"));
  BAOMI_ASSIGN_OR_RETURN(p.person_id, r.string("person_id"));
  BAOMI_ASSIGN_OR_RETURN(p.visit_id, r.optional_string("visit_id"));
  BAOMI_ASSIGN_OR_RETURN(p.escort_id, r.optional_string("escort_id"));
  BAOMI_ASSIGN_OR_RETURN(p.visitor_name, r.optional_string("visitor_name"));
  BAOMI_ASSIGN_OR_RETURN(p.visitor_organisation, r.optional_string("visitor_organisation"));
  if (o.owner_id != p.owner()) return Error::integrity("a stored passage is malformed");
  BAOMI_ASSIGN_OR_RETURN(p.left_at, r.optional_time("left_at"));
  BAOMI_ASSIGN_OR_RETURN(p.left_by, r.optional_string("left_by"));
  return p;
}

std::string to_audit_detail(const AreaAuditDetail& d) {
  audit::Detail out;
  const auto put = [&out](std::string_view key, const std::optional<std::string>& v) {
    if (v) out.add(key, *v);
  };
  put("person_id", d.person_id);
  put("visit_id", d.visit_id);
  put("escort_id", d.escort_id);
  put("recorded_by", d.recorded_by);
  put("entry_id", d.entry_id);
  put("alert_id", d.alert_id);
  put("reason", d.reason);
  put("list", d.list);
  if (d.requestable) out.add("requestable", *d.requestable);
  if (!d.added.empty()) out.add("added", d.added);
  if (!d.removed.empty()) out.add("removed", d.removed);
  return out;
}

}  // namespace baomi::services
