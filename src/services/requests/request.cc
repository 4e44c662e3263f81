#include "services/requests/request.h"

#include "services/workflow/json_fields.h"

namespace baomi::services {
namespace {

namespace json = boost::json;

json::object approval_json(const Approval& a) {
  return {{"approver_id", a.approver_id}, {"comment", a.comment}, {"at", to_micros(a.at)}};
}

Result<Approval> approval_from(const json::value& v) {
  BodyReader r(v);
  Approval a;
  BAOMI_ASSIGN_OR_RETURN(a.approver_id, r.string("approver_id"));
  BAOMI_ASSIGN_OR_RETURN(a.comment, r.string("comment"));
  BAOMI_ASSIGN_OR_RETURN(a.at, r.time("at"));
  return a;
}

}  // namespace

json::object customer_export_body(const CustomerExport& e) {
  return {{"level", static_cast<int>(e.level)}, {"categories", e.categories}, {"fields", e.fields}};
}

Result<CustomerExport> customer_export_from_body(const json::value& v) {
  BodyReader er(v);
  BAOMI_ASSIGN_OR_RETURN(auto level, er.integer("level"));
  BAOMI_ASSIGN_OR_RETURN(auto categories, er.unsigned_integer("categories"));
  BAOMI_ASSIGN_OR_RETURN(auto fields, er.unsigned_integer("fields"));
  if (level < 0 || level >= policy::kLevelCount || categories > UINT32_MAX ||
      fields > policy::kAllCustomerFields) {
    return Error::integrity("a stored customer export is malformed");
  }
  return CustomerExport{static_cast<policy::Level>(level),
                        static_cast<policy::CategorySet>(categories),
                        static_cast<policy::FieldSet>(fields)};
}

StoredObject to_object(const Request& q) {
  StoredObject o;
  o.kind = std::string(kRequestKind);
  o.id = q.id;
  o.state = std::string(request_state_name(q.state));
  o.document_id = q.document_id;
  o.owner_id = q.requester_id;
  o.created_at = q.created_at;
  o.updated_at = q.decided_at.value_or(q.created_at);
  if (q.state == RequestState::kPending) o.due_at = q.expires_at;
  o.revision = q.revision;
  auto& b = o.body;
  b["type"] = std::string(policy::request_type_name(q.type));
  b["reason"] = q.reason;
  b["version"] = q.version;
  b["copies"] = q.copies;
  b["days"] = q.days;
  if (q.uses) b["uses"] = *q.uses;
  if (q.excerpt) b["excerpt"] = json::object{{"from", q.excerpt->from}, {"to", q.excerpt->to}};
  if (q.declassify) {
    json::object d{{"end_term", q.declassify->end_term}};
    if (q.declassify->level) d["level"] = static_cast<int>(*q.declassify->level);
    b["declassify"] = std::move(d);
  }
  if (q.customer_export) b["customer_export"] = customer_export_body(*q.customer_export);
  if (q.visit) {
    json::object visitor{{"name", q.visit->visitor.name},
                         {"organisation", q.visit->visitor.organisation}};
    if (q.visit->visitor.id_number) visitor["id_number"] = *q.visit->visitor.id_number;
    b["visit"] = json::object{{"area_id", q.visit->area_id},
                              {"visitor", std::move(visitor)},
                              {"escort_id", q.visit->escort_id},
                              {"from", to_micros(q.visit->from)},
                              {"to", to_micros(q.visit->to)}};
  }
  json::array approvals;
  for (const auto& a : q.approvals) approvals.push_back(approval_json(a));
  b["approvals"] = std::move(approvals);
  if (q.closed_by) b["closed_by"] = approval_json(*q.closed_by);
  b["copies_issued"] = q.copies_issued;
  if (q.grant_id) b["grant_id"] = *q.grant_id;
  b["expires_at"] = to_micros(q.expires_at);
  if (q.decided_at) b["decided_at"] = to_micros(*q.decided_at);
  return o;
}

Result<Request> request_from_object(const StoredObject& o) {
  Request q;
  q.id = o.id;
  q.document_id = o.document_id;
  q.requester_id = o.owner_id;
  q.created_at = o.created_at;
  q.revision = o.revision;
  auto state = request_state_from_name(o.state);
  if (!state) return Error::integrity("a stored request has an unknown state");
  q.state = *state;
  BodyReader r(o.body);
  BAOMI_ASSIGN_OR_RETURN(auto type_name, r.string("type"));
  auto type = policy::request_type_from_name(type_name);
  if (!type) return Error::integrity("a stored request has an unknown type");
  q.type = *type;
  BAOMI_ASSIGN_OR_RETURN(q.reason, r.string("reason"));
  BAOMI_ASSIGN_OR_RETURN(q.version, r.unsigned_integer("version"));
  BAOMI_ASSIGN_OR_RETURN(q.copies, r.integer("copies"));
  BAOMI_ASSIGN_OR_RETURN(q.days, r.integer("days"));
  BAOMI_ASSIGN_OR_RETURN(q.uses, r.optional_integer("uses"));
  if (auto* e = r.find("excerpt")) {
    BodyReader er(*e);
    ExcerptRange range;
    BAOMI_ASSIGN_OR_RETURN(range.from, er.unsigned_integer("from"));
    BAOMI_ASSIGN_OR_RETURN(range.to, er.unsigned_integer("to"));
    q.excerpt = range;
  }
  if (auto* d = r.find("declassify")) {
    BodyReader dr(*d);
    Declassification decl;
    BAOMI_ASSIGN_OR_RETURN(decl.end_term, dr.boolean("end_term"));
    BAOMI_ASSIGN_OR_RETURN(auto level, dr.optional_integer("level"));
    if (level) {
      if (*level < 0 || *level >= policy::kLevelCount) {
        return Error::integrity("a stored request names an unknown level");
      }
      decl.level = static_cast<policy::Level>(*level);
    }
    q.declassify = decl;
  }
  if (auto* e = r.find("customer_export")) {
    BAOMI_ASSIGN_OR_RETURN(auto ce, customer_export_from_body(*e));
    q.customer_export = ce;
  }
  if (auto* v = r.find("visit")) {
    BodyReader vr(*v);
    Visit visit;
    BAOMI_ASSIGN_OR_RETURN(visit.area_id, vr.string("area_id"));
    BAOMI_ASSIGN_OR_RETURN(visit.escort_id, vr.string("escort_id"));
    BAOMI_ASSIGN_OR_RETURN(visit.from, vr.time("from"));
    BAOMI_ASSIGN_OR_RETURN(visit.to, vr.time("to"));
    const auto* who = vr.find("visitor");
    if (!who) return Error::integrity("a stored visit request is malformed");
    BodyReader wr(*who);
    BAOMI_ASSIGN_OR_RETURN(visit.visitor.name, wr.string("name"));
    BAOMI_ASSIGN_OR_RETURN(visit.visitor.organisation, wr.string("organisation"));
    BAOMI_ASSIGN_OR_RETURN(visit.visitor.id_number, wr.optional_string("id_number"));
    q.visit = std::move(visit);
  }
  if (auto* list = r.find("approvals")) {
    if (!list->is_array()) return Error::integrity("a stored request is malformed");
    for (const auto& a : list->as_array()) {
      BAOMI_ASSIGN_OR_RETURN(auto approval, approval_from(a));
      q.approvals.push_back(std::move(approval));
    }
  }
  if (auto* c = r.find("closed_by")) {
    BAOMI_ASSIGN_OR_RETURN(auto closed, approval_from(*c));
    q.closed_by = std::move(closed);
  }
  BAOMI_ASSIGN_OR_RETURN(q.copies_issued, r.integer("copies_issued"));
  BAOMI_ASSIGN_OR_RETURN(q.grant_id, r.optional_string("grant_id"));
  BAOMI_ASSIGN_OR_RETURN(q.expires_at, r.time("expires_at"));
  BAOMI_ASSIGN_OR_RETURN(q.decided_at, r.optional_time("decided_at"));
  return q;
}

}  // namespace baomi::services
