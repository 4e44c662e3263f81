#include "services/incidents/incident.h"

#include "services/workflow/json_fields.h"

namespace baomi::services {
namespace {

namespace json = boost::json;

}  // namespace

StoredObject to_object(const Incident& i) {
  StoredObject o;
  o.kind = std::string(kIncidentKind);
  o.id = i.id;
  o.state = i.open ? "open" : "closed";
  o.document_id = i.document_id;
  o.owner_id = i.reporter_id;
  o.created_at = i.opened_at;
  o.updated_at = i.steps.empty() ? i.opened_at : i.steps.back().at;
  o.revision = i.revision;
  if (i.serial) o.body["serial"] = *i.serial;
  o.body["description"] = i.description;
  json::array steps;
  for (const auto& s : i.steps) {
    steps.push_back(
        json::object{{"actor_id", s.actor_id}, {"note", s.note}, {"at", to_micros(s.at)}});
  }
  o.body["steps"] = std::move(steps);
  if (i.closed_at) o.body["closed_at"] = to_micros(*i.closed_at);
  return o;
}

Result<Incident> incident_from_object(const StoredObject& o) {
  Incident i;
  i.id = o.id;
  i.document_id = o.document_id;
  i.reporter_id = o.owner_id;
  i.opened_at = o.created_at;
  i.revision = o.revision;
  if (o.state != "open" && o.state != "closed") {
    return Error::integrity("a stored incident has an unknown state");
  }
  i.open = o.state == "open";
  BodyReader r(o.body);
  BAOMI_ASSIGN_OR_RETURN(i.serial, r.optional_string("serial"));
  BAOMI_ASSIGN_OR_RETURN(i.description, r.string("description"));
  BAOMI_ASSIGN_OR_RETURN(i.closed_at, r.optional_time("closed_at"));
  const auto* steps = r.find("steps");
  if (!steps || !steps->is_array()) return Error::integrity("a stored incident is malformed");
  for (const auto& v : steps->as_array()) {
    BodyReader sr(v);
    IncidentStep s;
    BAOMI_ASSIGN_OR_RETURN(s.actor_id, sr.string("actor_id"));
    BAOMI_ASSIGN_OR_RETURN(s.note, sr.string("note"));
    BAOMI_ASSIGN_OR_RETURN(s.at, sr.time("at"));
    i.steps.push_back(std::move(s));
  }
  return i;
}

StoredObject to_object(const Alert& a) {
  StoredObject o;
  o.kind = std::string(kAlertKind);
  o.id = a.id;
  o.state = a.state;
  o.document_id = a.document_id;
  o.owner_id = a.custodian_id;
  o.created_at = o.updated_at = a.at;
  o.body["type"] = a.type;
  o.body["raised_by"] = a.raised_by;
  if (a.incident_id) o.body["incident_id"] = *a.incident_id;
  if (a.serial) o.body["serial"] = *a.serial;
  if (a.target) o.body["target"] = *a.target;
  if (a.detail) o.body["detail"] = *a.detail;
  if (!a.audit_seqs.empty()) {
    boost::json::array seqs;
    for (const auto seq : a.audit_seqs) seqs.push_back(seq);
    o.body["audit_seqs"] = std::move(seqs);
  }
  if (a.note) o.body["note"] = *a.note;
  if (a.acknowledged_by) o.body["acknowledged_by"] = *a.acknowledged_by;
  if (a.acknowledged_at) o.body["acknowledged_at"] = to_micros(*a.acknowledged_at);
  if (a.finding) o.body["finding"] = *a.finding;
  if (a.closed_by) o.body["closed_by"] = *a.closed_by;
  if (a.closed_at) o.body["closed_at"] = to_micros(*a.closed_at);
  return o;
}

Result<Alert> alert_from_object(const StoredObject& o) {
  Alert a;
  a.id = o.id;
  a.document_id = o.document_id;
  a.custodian_id = o.owner_id;
  a.at = o.created_at;
  BodyReader r(o.body);
  BAOMI_ASSIGN_OR_RETURN(a.type, r.string("type"));
  BAOMI_ASSIGN_OR_RETURN(a.raised_by, r.string("raised_by"));
  BAOMI_ASSIGN_OR_RETURN(a.incident_id, r.optional_string("incident_id"));
  BAOMI_ASSIGN_OR_RETURN(a.serial, r.optional_string("serial"));
  BAOMI_ASSIGN_OR_RETURN(a.target, r.optional_string("target"));
  BAOMI_ASSIGN_OR_RETURN(a.detail, r.optional_string("detail"));
  BAOMI_ASSIGN_OR_RETURN(a.audit_seqs, r.unsigned_list("audit_seqs"));
  a.state = o.state;
  BAOMI_ASSIGN_OR_RETURN(a.note, r.optional_string("note"));
  BAOMI_ASSIGN_OR_RETURN(a.acknowledged_by, r.optional_string("acknowledged_by"));
  BAOMI_ASSIGN_OR_RETURN(a.acknowledged_at, r.optional_time("acknowledged_at"));
  BAOMI_ASSIGN_OR_RETURN(a.finding, r.optional_string("finding"));
  BAOMI_ASSIGN_OR_RETURN(a.closed_by, r.optional_string("closed_by"));
  BAOMI_ASSIGN_OR_RETURN(a.closed_at, r.optional_time("closed_at"));
  return a;
}

std::string_view alert_rule(std::string_view type) {
  if (type == "copy_lost" || type == "notes_lost") return "S8";
  if (type == "handover_overdue") return "H2";
  if (type == "customer_watch" || type == "bulk_read_documents" || type == "first_category" ||
      type == "off_hours") {
    return "C4";
  }
  if (type == "request_volume") return "S7";
  if (type == "login_spraying" || type == "probing") return "S9";
  if (type == "area_entry_refused" || type == "escort_left_first") return "S11";
  return "";
}

}  // namespace baomi::services
