#include "services/requests/requests.h"

#include <boost/json.hpp>

#include "audit/detail.h"
#include "auth/department_record.h"
#include "auth/guard.h"
#include "crypto/random.h"
#include "policy/approvals.h"
#include "services/areas/area.h"
#include "services/copies/artifacts.h"
#include "services/customers/normalise.h"
#include "services/documents/document_repository.h"
#include "services/documents/lifecycle.h"

namespace baomi::services {
namespace {

constexpr std::size_t kMaxRequestReason = 2000;
constexpr std::size_t kMaxComment = 2000;
constexpr int kMaxUses = 1000;
constexpr int kRetries = 8;  // a decision raced by another one is retried on fresh data

std::string request_target(const std::string& id) { return "request:" + id; }

Error not_found() { return Error::not_found("request not found"); }

// A2: `chart` is the organisation in force, read in the request's own transaction
// (auth::organisation_in): approval routing follows departments the system administrator added.
policy::RequestFacts facts_of(const Request& q, const Matter& m, const auth::User& requester,
                              const policy::Organisation& chart) {
  policy::RequestFacts f;
  f.type = q.type;
  f.level = m.level;
  f.requester_id = requester.id;
  f.requester_department = requester.department;
  f.requester_roles = requester.roles;
  f.custodian_id = m.custodian_id;
  f.keepers = m.keepers;
  f.organisation = &chart;
  return f;
}

std::string detail_of(const Request& q) {
  audit::Detail detail;
  detail.add("type", policy::request_type_name(q.type));
  if (q.visit) {
    detail.add("area_id", q.visit->area_id);
  } else if (q.customer_export) {
    detail.add("scope", "customers");
  } else {
    detail.add("document_id", q.document_id);
  }
  return detail.add("state", request_state_name(q.state));
}

// Whether `actor` may read what the request is about (S6 for documents, C1/S6 for customers).
// S11: for a visit, whether the actor keeps the area (the facts the policy decides on).
bool entitled(const auth::Runtime& rt, const auth::User& actor, const Matter& m, TimePoint now) {
  auto resource = m.resource();
  resource.area.subject_keeps = m.keeps(actor.id);
  return rt.policy.decide(auth::subject_of(actor), m.read_action, resource, {now}).allowed;
}

Result<void> check_request_text(const std::string& text, std::size_t max, const char* field,
                                bool required) {
  if (required && text.empty()) {
    return Error::invalid("invalid_field", std::string("field '") + field + "' is required");
  }
  if (text.size() > max) {
    return Error::invalid("invalid_field", std::string("field '") + field + "' must be at most " +
                                               std::to_string(max) + " bytes");
  }
  return {};
}

}  // namespace

struct Requests::Loaded {
  Request request;
  Matter matter;
  auth::User requester;
  policy::Organisation chart;  // A2: read with the request
};

Result<Matter> matter_of(const auth::Runtime& rt, barrier::ReadTx& tx, const Request& q) {
  if (q.visit) {
    BAOMI_ASSIGN_OR_RETURN(auto object,
                           SealedObjects(rt).get(tx, std::string(kAreaKind), q.visit->area_id));
    if (!object) return Error::integrity("a visit request names an area that does not exist");
    BAOMI_ASSIGN_OR_RETURN(auto area, area_from_object(*object));
    return area_matter(area.id, area.level, area.keepers);
  }
  if (q.customer_export) {
    return customer_register_matter(q.customer_export->level, q.customer_export->categories);
  }
  BAOMI_ASSIGN_OR_RETURN(auto doc, DocumentRepository(rt).find(tx, q.document_id));
  if (!doc) return Error::integrity("a request names a document that does not exist");
  return document_matter(std::move(*doc));
}

Result<Request> Requests::load(barrier::ReadTx& tx, const std::string& id) const {
  BAOMI_ASSIGN_OR_RETURN(auto object, objects_.get(tx, std::string(kRequestKind), id));
  if (!object) return not_found();
  return request_from_object(*object);
}

Result<void> Requests::store(barrier::WriteTx& tx, Request& request) const {
  auto object = to_object(request);
  if (object.revision == 0) {
    BAOMI_TRY(objects_.insert(tx, object));
  } else {
    BAOMI_TRY(objects_.update(tx, object));
  }
  request.revision = object.revision;
  return {};
}

Result<policy::ApprovalProgress> Requests::progress_of(const Request& q, const Matter& matter,
                                                       const auth::User& requester) const {
  // Approvals are judged with each approver's standing now: one who lost clearance or left
  // the reporting line no longer counts.
  std::vector<auth::User> approvers;
  policy::Organisation chart;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(chart, auth::organisation_in(rt_, tx));
    for (const auto& a : q.approvals) {
      auto user = auth::load_user(rt_, tx, a.approver_id);
      if (!user.ok() && user.error().kind == ErrorKind::kNotFound) continue;
      BAOMI_TRY(user);
      approvers.push_back(std::move(user).value());
    }
    return {};
  }));
  const auto now = rt_.now();
  std::vector<policy::ApproverFacts> facts;
  for (const auto& u : approvers) {
    facts.push_back({u.id, u.roles, u.department, entitled(rt_, u, matter, now)});
  }
  return policy::evaluate(rt_.policy, facts_of(q, matter, requester, chart), facts);
}

Result<RequestView> Requests::view_of(const auth::User& actor, Request request,
                                      const Matter& matter) const {
  RequestView view;
  view.rule = rt_.policy.approval_rule(request.type, matter.level);
  auth::User requester;
  policy::Organisation chart;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(requester, auth::load_user(rt_, tx, request.requester_id));
    BAOMI_ASSIGN_OR_RETURN(chart, auth::organisation_in(rt_, tx));
    std::vector<std::string> signers;
    for (const auto& a : request.approvals) signers.push_back(a.approver_id);
    if (request.closed_by) signers.push_back(request.closed_by->approver_id);
    for (const auto& id : signers) {
      if (view.people.contains(id)) continue;
      BAOMI_ASSIGN_OR_RETURN(auto signer, auth::load_user(rt_, tx, id));
      view.people[id] = {signer.username, signer.display_name, signer.department};
    }
    return {};
  }));
  view.requester = {requester.username, requester.display_name, requester.department};
  BAOMI_ASSIGN_OR_RETURN(view.progress, progress_of(request, matter, requester));
  if (request.state == RequestState::kPending) {
    const auto now = rt_.now();
    view.can_decide = policy::can_approve(rt_.policy, facts_of(request, matter, requester, chart),
                                          {actor.id, actor.roles, actor.department,
                                           entitled(rt_, actor, matter, now)})
                          .allowed;
    // Approvers judge exactly what leaves (S7): the excerpt's text, not just its range.
    if (view.can_decide && request.excerpt && matter.doc) {
      BAOMI_ASSIGN_OR_RETURN(view.excerpt_text, excerpt_text(actor.id, request, *matter.doc));
    }
  }
  view.request = std::move(request);
  return view;
}

Result<std::optional<std::string>> Requests::excerpt_text(const std::string& actor_id,
                                                          const Request& q,
                                                          const Document& doc) const {
  BAOMI_ASSIGN_OR_RETURN(auto version, documents_.version_row(doc, q.version));
  const auto format = source_format(version.content_type);
  if (format == SourceFormat::kPdf) return std::optional<std::string>();  // pages, not text
  if (format != SourceFormat::kText) {
    return Error{ErrorKind::kUnsupportedMedia, "unmarkable_format",
                 "excerpts are made of text and PDF documents", "S5"};
  }
  BAOMI_ASSIGN_OR_RETURN(auto text,
                         documents_.read_version(actor_id, doc, q.version, kMaxArtifactSource));
  BAOMI_ASSIGN_OR_RETURN(
      auto part,
      excerpt_of(std::string_view(reinterpret_cast<const char*>(text.data()), text.size()),
                 *q.excerpt));
  return std::optional<std::string>(std::move(part));
}

Result<RequestView> Requests::create(const auth::User& actor, const RequestSpec& spec) const {
  const auto type = policy::request_type_from_name(spec.type);
  if (!type) return Error::invalid("invalid_field", "field 'type' is not a known request type");
  BAOMI_TRY(check_request_text(spec.reason, kMaxRequestReason, "reason", true));
  Matter matter;
  BAOMI_ASSIGN_OR_RETURN(auto q, spec.visit       ? new_visit(actor, spec, matter)
                                 : spec.customers ? new_export(actor, spec, matter)
                                                  : new_document_request(actor, spec, matter));
  const auto now = rt_.now();
  q.id = crypto::random_id();
  q.type = *type;
  q.requester_id = actor.id;
  q.reason = spec.reason;
  const auto& rule = rt_.policy.approval_rule(q.type, matter.level);
  // S5, H3: an approved destruction may be carried out for the rule's max_days by default.
  q.days = spec.days.value_or(q.type == policy::RequestType::kDestroy ? rule.max_days : 1);
  q.copies = spec.copies.value_or(policy::yields_copies(q.type) ? 1 : 0);
  BAOMI_TRY(policy::check_request_terms(rule, q.type, q.days, q.copies));
  q.created_at = now;
  q.expires_at = policy::pending_deadline(rule, now);
  BAOMI_TRY(rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    BAOMI_TRY(store(tx, q));
    BAOMI_TRY(rt_.audit.append(
        tx, {actor.id, "request.create", request_target(q.id), "allow", "S7", detail_of(q)}, now));
    return {};
  }));
  return view_of(actor, std::move(q), matter);
}

// S11: a visitor's visit to a restricted area with an escort, in a window no longer than the
// policy's max_days for visits.
Result<Request> Requests::new_visit(const auth::User& actor, const RequestSpec& spec,
                                    Matter& matter) const {
  if (spec.type != "visit") {
    return Error::invalid("invalid_field", "field 'visit' applies to visit requests only (S11)");
  }
  if (!spec.document_id.empty() || spec.customers || spec.uses || spec.excerpt ||
      spec.declassify_level || spec.end_term || spec.copies || spec.destroy_version) {
    return Error::invalid("invalid_field",
                          "a visit request takes only 'area_id', 'visitor', 'escort_id', "
                          "'window' and 'reason'");
  }
  const auto& v = *spec.visit;
  if (v.from >= v.to) return Error::invalid("invalid_field", "field 'window' must have from < to");
  const auto now = rt_.now();
  if (v.to <= now) return Error::invalid("invalid_field", "field 'window' lies in the past");
  std::optional<Area> area;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto object, objects_.get(tx, std::string(kAreaKind), v.area_id));
    if (object) {
      BAOMI_ASSIGN_OR_RETURN(area, area_from_object(*object));
    }
    BAOMI_ASSIGN_OR_RETURN(auto escort, auth::find_user(rt_, tx, v.escort_id));
    if (!escort) return Error::invalid("invalid_field", "field 'escort_id' names no account");
    return {};
  }));
  if (!area) {
    // S9: the attempt is recorded like any refusal; an unknown area is simply not found.
    BAOMI_TRY(auth::enforce(rt_,
                            {false, policy::DenyAs::kNotFound, "S11", "not_found", "not found"},
                            actor.id, "request.create", "area:" + v.area_id));
    return Error::not_found();
  }
  matter = area_matter(area->id, area->level, area->keepers);
  // S11, S2: a visit is arranged by staff cleared for the area; administrators do no business.
  BAOMI_TRY(auth::enforce(rt_,
                          rt_.policy.decide(auth::subject_of(actor), policy::Action::kCreateRequest,
                                            matter.resource(), {now}),
                          actor.id, "request.create", matter.target()));
  const auto& rule = rt_.policy.approval_rule(policy::RequestType::kVisit, matter.level);
  if (v.to - v.from > std::chrono::days{rule.max_days}) {
    return Error::invalid("invalid_field", "field 'window' must be at most " +
                                               std::to_string(rule.max_days) + " days long");
  }
  Request q;
  q.visit = Visit{area->id, v.visitor, v.escort_id, v.from, v.to};
  return q;
}

// C2: an export of customer records: the register at a level, with chosen columns.
Result<Request> Requests::new_export(const auth::User& actor, const RequestSpec& spec,
                                     Matter& matter) const {
  if (spec.type != "export") {
    return Error::invalid("invalid_field",
                          "field 'customers' applies to export requests only (C2)");
  }
  if (!spec.document_id.empty()) {
    return Error::invalid("invalid_field", "give either 'document_id' or 'customers', not both");
  }
  if (spec.uses || spec.excerpt || spec.declassify_level || spec.end_term || spec.destroy_version) {
    return Error::invalid("invalid_field",
                          "an export of customers takes only 'customers', 'reason', 'copies' "
                          "and 'days'");
  }
  const auto& cs = *spec.customers;
  CustomerExport e;
  e.level = rt_.policy.customers().default_level;
  if (cs.level) {
    const auto level = rt_.policy.level_from_name(*cs.level);
    if (!level) return Error::invalid("invalid_field", "field 'customers.level' is not a level");
    e.level = *level;
  }
  BAOMI_ASSIGN_OR_RETURN(e.categories, rt_.policy.category_set(cs.categories));
  if (!cs.fields.empty()) {
    e.fields = 0;
    for (const auto& name : cs.fields) {
      const auto field = policy::customer_field_from_api_name(name);
      if (!field) {
        return Error::invalid("invalid_field",
                              "field 'customers.fields' names an unknown field '" + name + "'");
      }
      e.fields |= policy::field_bit(*field);
    }
  }
  matter = customer_register_matter(e.level, e.categories);
  // C1, C2: only the centre's staff ask, for records they may read themselves.
  BAOMI_TRY(
      auth::enforce(rt_,
                    rt_.policy.decide(auth::subject_of(actor), policy::Action::kExportCustomers,
                                      matter.resource(), {rt_.now()}),
                    actor.id, "request.create", std::string(kCustomerRegisterTarget)));
  Request q;
  q.customer_export = e;
  return q;
}

Result<Request> Requests::new_document_request(const auth::User& actor, const RequestSpec& spec,
                                               Matter& matter) const {
  const auto type = policy::request_type_from_name(spec.type);
  BAOMI_ASSIGN_OR_RETURN(auto doc, documents_.load_for(actor, "request.create", spec.document_id));
  // S7: only what one may know exists may be asked for; administrators ask for nothing.
  BAOMI_TRY(auth::enforce(rt_,
                          rt_.policy.decide(auth::subject_of(actor), policy::Action::kCreateRequest,
                                            resource_of(doc), {rt_.now()}),
                          actor.id, "request.create", document_target(doc.id)));
  Request q;
  q.type = *type;
  q.document_id = doc.id;
  if (spec.uses) {
    if (q.type != policy::RequestType::kAccess) {
      return Error::invalid("invalid_field", "field 'uses' applies to access requests only");
    }
    if (*spec.uses < 1 || *spec.uses > kMaxUses) {
      return Error::invalid("invalid_field", "field 'uses' must be 1-1000");
    }
    q.uses = spec.uses;
  }
  if ((q.type == policy::RequestType::kExcerpt) != spec.excerpt.has_value()) {
    return Error::invalid("invalid_field",
                          "field 'excerpt' is required for excerpt requests and only for them");
  }
  if (spec.excerpt && spec.excerpt->from >= spec.excerpt->to) {
    return Error::invalid("invalid_field", "field 'excerpt' must have from < to");
  }
  q.excerpt = spec.excerpt;
  const bool declassify = q.type == policy::RequestType::kDeclassify;
  if (!declassify && (spec.declassify_level || spec.end_term)) {
    return Error::invalid("invalid_field",
                          "fields 'level' and 'end_term' apply to declassify requests only");
  }
  if (declassify) {
    Declassification d;
    if (spec.declassify_level) {
      d.level = rt_.policy.level_from_name(*spec.declassify_level);
      if (!d.level) return Error::invalid("invalid_field", "field 'level' is not a known level");
      if (*d.level >= doc.level) {
        return Error::invalid("invalid_field", "field 'level' must be below the document's level");
      }
    }
    d.end_term = spec.end_term;
    if (d.end_term && !doc.secret_until) {
      return Error::invalid("invalid_field", "field 'end_term': the document has no secrecy term");
    }
    if (!d.level && !d.end_term) {
      return Error::invalid("invalid_field", "a declassify request needs 'level' or 'end_term'");
    }
    q.declassify = d;
  }
  if (doc.destroyed_at) return destroyed_error();  // H3: nothing more is asked of a tombstone
  // What leaves is the version the request was made about, whatever is uploaded later.
  q.version = doc.current_version;
  if (q.type == policy::RequestType::kDestroy || spec.destroy_version) {
    BAOMI_ASSIGN_OR_RETURN(q.version, destroy_target(actor, spec, doc));
  }
  if (policy::yields_copies(q.type) && q.version == 0) {
    return Error::conflict("no_content", "the document has no content to copy");
  }
  if (q.excerpt) BAOMI_TRY(excerpt_text(actor.id, q, doc));  // the range must lie in the text
  matter = document_matter(std::move(doc));
  return q;
}

// S5, H3: what a destroy request asks to destroy (0: the whole document), asked by the
// custodian (policy action destroy_document) of a document no hold keeps and whose retention
// has ended (checked again when the destruction is carried out).
Result<std::uint64_t> Requests::destroy_target(const auth::User& actor, const RequestSpec& spec,
                                               const Document& doc) const {
  if (spec.type != "destroy") {
    return Error::invalid("invalid_field", "field 'version' applies to destroy requests only");
  }
  const auto now = rt_.now();
  BAOMI_TRY(
      auth::enforce(rt_,
                    rt_.policy.decide(auth::subject_of(actor), policy::Action::kDestroyDocument,
                                      resource_of(doc), {now}),
                    actor.id, "request.create", document_target(doc.id)));
  if (auto refused = check_destroyable(rt_.policy, doc, now); !refused.ok()) {
    BAOMI_TRY(rt_.audit.record(
        rt_.store,
        {actor.id, "request.create", document_target(doc.id), "deny", refused.error().rule,
         audit::Detail{}.add("reason", refused.error().code)},
        now));
    return refused.take_error();
  }
  if (!spec.destroy_version) return std::uint64_t{0};
  std::optional<DocumentVersion> row;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(row,
                           DocumentRepository(rt_).find_version(tx, doc.id, *spec.destroy_version));
    return {};
  }));
  if (row && row->state == VersionState::kDestroyed) return version_destroyed_error();
  if (!row || row->state != VersionState::kCommitted) {
    return Error::invalid("invalid_field", "field 'version' names no version of the document");
  }
  return *spec.destroy_version;
}

Result<Requests::Loaded> Requests::load_visible(const auth::User& actor, const std::string& id,
                                                std::string_view action) const {
  const auto target = request_target(id);
  const auto now = rt_.now();
  std::optional<Loaded> loaded;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    auto q = load(tx, id);
    if (!q.ok()) return q.error().kind == ErrorKind::kNotFound ? Result<void>() : q.take_error();
    BAOMI_ASSIGN_OR_RETURN(auto matter, matter_of(rt_, tx, *q));
    BAOMI_ASSIGN_OR_RETURN(auto requester, auth::load_user(rt_, tx, q->requester_id));
    BAOMI_ASSIGN_OR_RETURN(auto chart, auth::organisation_in(rt_, tx));
    loaded =
        Loaded{std::move(q).value(), std::move(matter), std::move(requester), std::move(chart)};
    return {};
  }));
  // Visible to the requester, the auditor (policy), and whoever may decide it (approvals).
  policy::Decision decision{false, policy::DenyAs::kNotFound, "S9", "not_found", "not found"};
  if (loaded) {
    const auto resource = loaded->matter.resource(loaded->request.requester_id);
    decision =
        rt_.policy.decide(auth::subject_of(actor), policy::Action::kReadRequest, resource, {now});
    if (!decision.allowed) {
      const auto as_approver = policy::can_approve(
          rt_.policy, facts_of(loaded->request, loaded->matter, loaded->requester, loaded->chart),
          {actor.id, actor.roles, actor.department, entitled(rt_, actor, loaded->matter, now)});
      if (as_approver.allowed) decision = as_approver;
    }
    // S9: a request one may not see does not exist for them.
    if (!decision.allowed) {
      decision = {false, policy::DenyAs::kNotFound, decision.rule, decision.code, "not found"};
    }
  }
  BAOMI_TRY(auth::enforce(rt_, decision, actor.id, action, target));
  return std::move(*loaded);
}

Result<RequestView> Requests::get(const auth::User& actor, const std::string& id) const {
  BAOMI_ASSIGN_OR_RETURN(auto loaded, load_visible(actor, id, "request.read"));
  BAOMI_TRY(expire_if_due(loaded.request, rt_.now()));
  BAOMI_ASSIGN_OR_RETURN(auto view, view_of(actor, std::move(loaded.request), loaded.matter));
  // The excerpt text is content of the document: its showing is recorded (S9), before it leaves.
  const std::string detail =
      view.excerpt_text ? audit::Detail{}.add("excerpt_shown", true).json() : "{}";
  BAOMI_TRY(rt_.audit.record(
      rt_.store, {actor.id, "request.read", request_target(id), "allow", "S7", detail}, rt_.now()));
  return view;
}

// S11, C3: a visit request's visitor in clear. The keepers of the visit's area check at the door
// who is there, and the security administrator may need to know who was; they see the fields
// they name, for a reason kept sealed like a customer unmask's (its id and keyed hash in the
// trail, never the text).
Result<RequestView> Requests::unmask_visitor(const auth::User& actor, const std::string& id,
                                             const VisitorUnmask& unmask) const {
  if (!unmask.name && !unmask.id_number) {
    return Error::invalid("invalid_field", "query parameter 'unmask' names no visitor field");
  }
  BAOMI_ASSIGN_OR_RETURN(const auto reason, customers::checked_unmask_reason(unmask.reason));
  constexpr std::string_view kAction = "request.unmask_visitor";
  BAOMI_ASSIGN_OR_RETURN(auto loaded, load_visible(actor, id, kAction));
  if (!loaded.request.visit) {
    return Error::invalid("invalid_field", "only a visit request has a visitor to unmask (S11)");
  }
  const auto target = "request:" + id;
  const auto now = rt_.now();
  auto resource = loaded.matter.resource();
  resource.area.subject_keeps = loaded.matter.keeps(actor.id);
  BAOMI_TRY(auth::enforce(
      rt_,
      rt_.policy.decide(auth::subject_of(actor), policy::Action::kUnmaskVisitor, resource, {now}),
      actor.id, kAction, target));
  std::vector<std::string> fields;
  if (unmask.name) fields.emplace_back("name");
  if (unmask.id_number) fields.emplace_back("id_number");
  // The reason is the caller's free text and may name the visitor: sealed in an object of its
  // own; the trail holds its id and keyed hash.
  StoredObject note;
  note.kind = std::string(customers::kUnmaskReasonKind);
  note.id = crypto::random_id();
  note.state = "kept";
  note.owner_id = actor.id;
  note.created_at = note.updated_at = now;
  note.body["request_id"] = id;
  note.body["fields"] = boost::json::value_from(fields);
  note.body["reason"] = reason;
  const auto detail = audit::Detail{}
                          .add("fields", fields)
                          .add("reason_ref", note.id)
                          .add("reason_hash", rt_.barrier.audit_hash(reason));
  BAOMI_TRY(rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    BAOMI_TRY(objects_.insert(tx, note));
    BAOMI_TRY(
        rt_.audit.append(tx, {actor.id, std::string(kAction), target, "allow", "C3", detail}, now));
    return {};
  }));
  BAOMI_ASSIGN_OR_RETURN(auto view, view_of(actor, std::move(loaded.request), loaded.matter));
  if (unmask.name) view.visitor_unmasked.emplace_back("name");
  if (unmask.id_number) view.visitor_unmasked.emplace_back("id_number");
  return view;
}

Result<bool> Requests::expire_if_due(Request& q, TimePoint now) const {
  if (q.state != RequestState::kPending || now < q.expires_at) return false;
  auto expired = rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto fresh, load(tx, q.id));
    if (fresh.state != RequestState::kPending) {
      q = std::move(fresh);
      return {};
    }
    BAOMI_ASSIGN_OR_RETURN(fresh.state, next_state(fresh.state, RequestEvent::kExpire, false));
    fresh.decided_at = now;
    BAOMI_TRY(store(tx, fresh));
    BAOMI_TRY(rt_.audit.append(
        tx, {"system", "request.expire", request_target(q.id), "allow", "S7", detail_of(fresh)},
        now));
    q = std::move(fresh);
    return {};
  });
  BAOMI_TRY(expired);
  return true;
}

Result<RequestView> Requests::approve(const auth::User& actor, const std::string& id,
                                      const std::string& comment) const {
  return decide(actor, id, RequestEvent::kApprove, comment);
}

Result<RequestView> Requests::reject(const auth::User& actor, const std::string& id,
                                     const std::string& comment) const {
  return decide(actor, id, RequestEvent::kReject, comment);
}

Result<RequestView> Requests::cancel(const auth::User& actor, const std::string& id) const {
  return decide(actor, id, RequestEvent::kCancel, "");
}

Result<RequestView> Requests::decide(const auth::User& actor, const std::string& id,
                                     RequestEvent event, const std::string& comment) const {
  BAOMI_TRY(check_request_text(comment, kMaxComment, "comment", false));
  const std::string action = "request." + std::string(request_event_name(event));
  const auto target = request_target(id);
  for (int attempt = 0; attempt < kRetries; ++attempt) {
    BAOMI_ASSIGN_OR_RETURN(auto loaded, load_visible(actor, id, action));
    auto& q = loaded.request;
    const auto now = rt_.now();
    if (event == RequestEvent::kCancel) {
      // Only the requester withdraws a request.
      BAOMI_TRY(
          auth::enforce(rt_,
                        rt_.policy.decide(auth::subject_of(actor), policy::Action::kCancelRequest,
                                          loaded.matter.resource(q.requester_id), {now}),
                        actor.id, action, target));
    } else {
      // A1, A2, S6: only a named approver, never the requester, entitled to read it.
      BAOMI_TRY(auth::enforce(
          rt_,
          policy::can_approve(
              rt_.policy, facts_of(q, loaded.matter, loaded.requester, loaded.chart),
              {actor.id, actor.roles, actor.department, entitled(rt_, actor, loaded.matter, now)}),
          actor.id, action, target));
    }
    BAOMI_ASSIGN_OR_RETURN(bool expired, expire_if_due(q, now));
    if (expired || q.state != RequestState::kPending) {
      BAOMI_TRY(rt_.audit.record(
          rt_.store,
          {actor.id, action, target, "deny", "S7", audit::Detail{}.add("reason", "request_closed")},
          now));
      return next_state(q.state, event, false).take_error();
    }
    bool satisfied = false;
    if (event == RequestEvent::kApprove) {
      for (const auto& a : q.approvals) {
        if (a.approver_id == actor.id) {
          return Error::conflict("already_approved", "you have already approved this request",
                                 "A1");
        }
      }
      q.approvals.push_back({actor.id, comment, now});
      BAOMI_ASSIGN_OR_RETURN(auto progress, progress_of(q, loaded.matter, loaded.requester));
      satisfied = progress.satisfied;
    } else {
      q.closed_by = Approval{actor.id, comment, now};
    }
    BAOMI_ASSIGN_OR_RETURN(q.state, next_state(q.state, event, satisfied));
    if (q.state != RequestState::kPending) q.decided_at = now;
    auto written = rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
      if (q.state == RequestState::kApproved) {
        BAOMI_TRY(apply_approval(tx, q, loaded.matter, actor, now));
      }
      BAOMI_TRY(store(tx, q));
      const std::string rule = event == RequestEvent::kCancel ? "S7" : "A1";
      BAOMI_TRY(rt_.audit.append(tx, {actor.id, action, target, "allow", rule, detail_of(q)}, now));
      return {};
    });
    if (!written.ok() && written.error().code == "concurrent_update") continue;
    BAOMI_TRY(written);
    return view_of(actor, std::move(q), loaded.matter);
  }
  return Error::unavailable("the request is being decided by others; try again");
}

Result<void> Requests::apply_approval(barrier::WriteTx& tx, Request& q, const Matter& matter,
                                      const auth::User& actor, TimePoint now) const {
  if (q.type == policy::RequestType::kAccess) {
    // S6: the grant supplies need-to-know for this document only, never clearance.
    BAOMI_ASSIGN_OR_RETURN(
        auto grant, grants_.create(tx, {q.id, q.document_id, q.requester_id, q.days, q.uses}, now));
    q.grant_id = grant.id;
    BAOMI_TRY(rt_.audit.append(
        tx,
        {actor.id, "grant.create", "grant:" + grant.id, "allow", "S6",
         audit::Detail{}.add("document_id", q.document_id).add("request_id", q.id)},
        now));
  } else if (q.type == policy::RequestType::kDeclassify) {
    // S4: the approved change takes effect with the approval, and the history keeps the old.
    if (!matter.doc) return Error::integrity("a declassify request names no document");
    BAOMI_TRY(documents_.reclassify(tx, *matter.doc, q.declassify->level, q.declassify->end_term,
                                    actor.id, q.id, now));
  }
  return {};
}

Result<RequestPage> Requests::list(const auth::User& actor, const RequestFilter& filter) const {
  const auto now = rt_.now();
  const auto subject = auth::subject_of(actor);
  const bool sees_all =
      rt_.policy.decide(subject, policy::Action::kReadAllRequests, {}, {now}).allowed;
  RequestPage page;
  std::string after = filter.cursor;
  while (page.items.size() < filter.limit) {
    ObjectQuery query;
    query.kind = std::string(kRequestKind);
    query.after_id = after;
    query.limit = 256;
    // Approvable requests are pending by definition; otherwise one's own unless auditor.
    if (filter.approvable) {
      query.state = std::string(request_state_name(RequestState::kPending));
    } else {
      if (filter.state) query.state = std::string(request_state_name(*filter.state));
      if (!sees_all) query.owner_id = actor.id;
    }
    std::vector<StoredObject> objects;
    BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
      BAOMI_ASSIGN_OR_RETURN(objects, objects_.list(tx, query));
      return {};
    }));
    if (objects.empty()) break;
    for (const auto& o : objects) {
      after = o.id;
      BAOMI_ASSIGN_OR_RETURN(auto q, request_from_object(o));
      if (q.state == RequestState::kPending && now >= q.expires_at) {
        q.state = RequestState::kExpired;  // reported as it is; the sweep stores it
      }
      if (filter.state && q.state != *filter.state) continue;
      std::optional<Matter> matter;
      BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
        BAOMI_ASSIGN_OR_RETURN(matter, matter_of(rt_, tx, q));
        return {};
      }));
      BAOMI_ASSIGN_OR_RETURN(auto view, view_of(actor, std::move(q), *matter));
      if (filter.approvable && !view.can_decide) continue;
      page.items.push_back(std::move(view));
      if (page.items.size() == filter.limit) {
        page.next_cursor = o.id;
        break;
      }
    }
    if (objects.size() < 256) break;
  }
  std::size_t excerpts = 0;
  for (const auto& v : page.items) excerpts += v.excerpt_text ? 1 : 0;
  BAOMI_TRY(rt_.audit.record(
      rt_.store,
      {actor.id, "request.list", "requests", "allow", "S7",
       audit::Detail{}.add("count", page.items.size()).add("excerpts_shown", excerpts)},
      now));
  return page;
}

Result<int> Requests::sweep() const {
  const auto now = rt_.now();
  int changed = 0;
  ObjectQuery query;
  query.kind = std::string(kRequestKind);
  query.state = std::string(request_state_name(RequestState::kPending));
  query.due_before_us = to_micros(now) + 1;
  query.limit = 256;
  for (;;) {
    std::vector<StoredObject> due;
    BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
      BAOMI_ASSIGN_OR_RETURN(due, objects_.list(tx, query));
      return {};
    }));
    for (const auto& o : due) {
      BAOMI_ASSIGN_OR_RETURN(auto q, request_from_object(o));
      BAOMI_ASSIGN_OR_RETURN(bool expired, expire_if_due(q, now));
      changed += expired ? 1 : 0;
    }
    if (due.size() < query.limit) break;
    query.after_id = due.back().id;
  }
  BAOMI_ASSIGN_OR_RETURN(int grants, grants_.expire_due(now));
  return changed + grants;
}

}  // namespace baomi::services
