#include "services/incidents/incidents.h"

#include "audit/detail.h"
#include "auth/guard.h"
#include "crypto/random.h"
#include "services/customers/watch.h"
#include "services/documents/document_repository.h"

namespace baomi::services {
namespace {

constexpr std::size_t kMaxIncidentText = 4000;

std::string incident_target(const std::string& id) { return "incident:" + id; }

Result<void> check_note(const std::string& text, const char* field) {
  if (text.empty() || text.size() > kMaxIncidentText) {
    return Error::invalid("invalid_field",
                          std::string("field '") + field + "' must be 1-4000 bytes");
  }
  return {};
}

}  // namespace

Result<Matter> Incidents::matter_of(barrier::ReadTx& tx, const Incident& incident) const {
  // A lost export of customer records has no document; reporter, secadmin and auditor only.
  if (incident.document_id.empty()) {
    return customer_register_matter(rt_.policy.customers().default_level, 0);
  }
  BAOMI_ASSIGN_OR_RETURN(auto doc, DocumentRepository(rt_).find(tx, incident.document_id));
  if (!doc) return Error::integrity("an incident names a document that does not exist");
  return document_matter(std::move(*doc));
}

Result<Incident> Incidents::open(barrier::WriteTx& tx, const auth::User& reporter,
                                 const Matter& matter, const std::string& holder_id,
                                 std::optional<std::string> serial, const std::string& description,
                                 TimePoint now) const {
  BAOMI_TRY(check_note(description, "description"));
  Incident incident;
  incident.id = crypto::random_id();
  incident.document_id = matter.document_id();
  incident.reporter_id = reporter.id;
  incident.serial = serial;
  incident.description = description;
  incident.opened_at = now;
  auto object = to_object(incident);
  BAOMI_TRY(objects_.insert(tx, object));
  incident.revision = object.revision;
  // S8: what the holder could still read of this document stops until the loss is handled.
  int suspended = 0;
  if (matter.doc) {
    BAOMI_ASSIGN_OR_RETURN(suspended,
                           grants_.suspend(tx, holder_id, matter.doc->id, reporter.id, now));
  }
  Alert alert;
  alert.id = crypto::random_id();
  alert.type = serial ? "copy_lost" : "notes_lost";
  alert.document_id = matter.document_id();
  alert.custodian_id = matter.custodian_id;
  if (!matter.doc) alert.target = matter.target();
  alert.raised_by = reporter.id;
  alert.incident_id = incident.id;
  alert.serial = serial;
  alert.at = now;
  auto alert_object = to_object(alert);
  BAOMI_TRY(objects_.insert(tx, alert_object));
  BAOMI_TRY(
      rt_.audit.append(tx,
                       {reporter.id, "incident.open", incident_target(incident.id), "allow", "S8",
                        audit::Detail{}
                            .add("document_id", matter.document_id())
                            .add("serial", serial.value_or(""))
                            .add("grants_suspended", suspended)
                            .add("alert_id", alert.id)},
                       now));
  return incident;
}

Result<Incident> Incidents::report_notes_lost(const auth::User& actor, const Document& doc,
                                              const std::string& description) const {
  const auto now = rt_.now();
  BAOMI_TRY(check_note(description, "description"));
  // Notes are about a document the reporter knew of: one that is hidden from them stays so.
  BAOMI_TRY(auth::enforce(
      rt_,
      rt_.policy.decide(auth::subject_of(actor), policy::Action::kReadDocumentMetadata,
                        resource_of(doc), {now}),
      actor.id, "incident.open", document_target(doc.id)));
  BAOMI_TRY(auth::enforce(rt_,
                          rt_.policy.decide(auth::subject_of(actor), policy::Action::kReportLoss,
                                            document_matter(doc).resource(actor.id), {now}),
                          actor.id, "incident.open", document_target(doc.id)));
  std::optional<Incident> incident;
  BAOMI_TRY(rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(
        incident, open(tx, actor, document_matter(doc), actor.id, std::nullopt, description, now));
    return {};
  }));
  return *incident;
}

Result<Incidents::Loaded> Incidents::load(const auth::User& actor, const std::string& id,
                                          policy::Action action,
                                          std::string_view audit_action) const {
  const auto now = rt_.now();
  std::optional<Loaded> loaded;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto object, objects_.get(tx, std::string(kIncidentKind), id));
    if (!object) return {};
    BAOMI_ASSIGN_OR_RETURN(auto incident, incident_from_object(*object));
    BAOMI_ASSIGN_OR_RETURN(auto matter, matter_of(tx, incident));
    loaded = Loaded{std::move(incident), std::move(matter)};
    return {};
  }));
  policy::Decision decision{false, policy::DenyAs::kNotFound, "S9", "not_found", "not found"};
  if (loaded) {
    decision = rt_.policy.decide(auth::subject_of(actor), action,
                                 loaded->matter.resource(loaded->incident.reporter_id), {now});
  }
  BAOMI_TRY(auth::enforce(rt_, decision, actor.id, audit_action, incident_target(id)));
  return std::move(*loaded);
}

Result<Incident> Incidents::get(const auth::User& actor, const std::string& id) const {
  BAOMI_ASSIGN_OR_RETURN(auto loaded,
                         load(actor, id, policy::Action::kReadIncident, "incident.read"));
  BAOMI_TRY(rt_.audit.record(
      rt_.store, {actor.id, "incident.read", incident_target(id), "allow", "S8", "{}"}, rt_.now()));
  return std::move(loaded.incident);
}

Result<Incident> Incidents::append_step(const auth::User& actor, Loaded loaded,
                                        const std::string& note, bool closing,
                                        std::string_view audit_action,
                                        std::string_view rule) const {
  BAOMI_TRY(check_note(note, "note"));
  auto& incident = loaded.incident;
  const auto target = incident_target(incident.id);
  const auto now = rt_.now();
  if (!incident.open) {
    return Error::conflict("incident_closed", "the incident is already closed", "S8");
  }
  incident.steps.push_back({actor.id, note, now});
  if (closing) {
    incident.open = false;
    incident.closed_at = now;
  }
  BAOMI_TRY(rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    auto object = to_object(incident);
    BAOMI_TRY(objects_.update(tx, object));
    incident.revision = object.revision;
    BAOMI_TRY(
        rt_.audit.append(tx,
                         {actor.id, std::string(audit_action), target, "allow", std::string(rule),
                          audit::Detail{}.add("steps", incident.steps.size())},
                         now));
    return {};
  }));
  return incident;
}

Result<Incident> Incidents::add_step(const auth::User& actor, const std::string& id,
                                     const std::string& note) const {
  BAOMI_ASSIGN_OR_RETURN(auto loaded,
                         load(actor, id, policy::Action::kUpdateIncident, "incident.step"));
  return append_step(actor, std::move(loaded), note, false, "incident.step", "S8");
}

Result<Incident> Incidents::close(const auth::User& actor, const std::string& id,
                                  const std::string& note) const {
  BAOMI_ASSIGN_OR_RETURN(auto loaded,
                         load(actor, id, policy::Action::kCloseIncident, "incident.close"));
  return append_step(actor, std::move(loaded), note, true, "incident.close", "S8");
}

Result<IncidentPage> Incidents::list(const auth::User& actor, std::optional<bool> open,
                                     const std::string& cursor, std::size_t limit) const {
  const auto now = rt_.now();
  const auto subject = auth::subject_of(actor);
  const bool sees_all =
      rt_.policy.decide(subject, policy::Action::kReadAllIncidents, {}, {now}).allowed;
  IncidentPage page;
  ObjectQuery q;
  q.kind = std::string(kIncidentKind);
  if (open) q.state = *open ? "open" : "closed";
  q.after_id = cursor;
  q.limit = 256;
  while (page.items.size() < limit) {
    std::vector<std::pair<Incident, std::optional<Matter>>> batch;
    std::size_t fetched = 0;
    BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
      BAOMI_ASSIGN_OR_RETURN(auto objects, objects_.list(tx, q));
      fetched = objects.size();
      for (const auto& o : objects) {
        BAOMI_ASSIGN_OR_RETURN(auto incident, incident_from_object(o));
        std::optional<Matter> matter;
        if (!sees_all) {
          BAOMI_ASSIGN_OR_RETURN(matter, matter_of(tx, incident));
        }
        batch.emplace_back(std::move(incident), std::move(matter));
      }
      return {};
    }));
    for (auto& [incident, matter] : batch) {
      q.after_id = incident.id;
      // Reporters see their reports, custodians the incidents on their documents.
      if (!sees_all && !rt_.policy
                            .decide(subject, policy::Action::kReadIncident,
                                    matter->resource(incident.reporter_id), {now})
                            .allowed) {
        continue;
      }
      page.items.push_back(std::move(incident));
      if (page.items.size() == limit) {
        page.next_cursor = q.after_id;
        break;
      }
    }
    if (fetched < q.limit) break;
  }
  BAOMI_TRY(rt_.audit.record(rt_.store,
                             {actor.id, "incident.list", "incidents", "allow", "S8",
                              audit::Detail{}.add("count", page.items.size())},
                             now));
  return page;
}

Result<void> Incidents::raise_spraying_alert(barrier::WriteTx& tx, const auth::SourceBlock& block,
                                             TimePoint now) const {
  Alert alert;
  alert.id = crypto::random_id();
  alert.type = "login_spraying";
  alert.raised_by = "system";
  alert.target = "source:" + block.source;
  alert.detail = std::to_string(block.failures) + " failed logins for " +
                 std::to_string(block.names) + " names from " + block.source + " within " +
                 customers::window_text(block.window) + "; logins from there refused for " +
                 customers::window_text(block.blocked_for);
  alert.at = now;
  auto object = to_object(alert);
  BAOMI_TRY(objects_.insert(tx, object));
  BAOMI_TRY(
      rt_.audit.append(tx,
                       {"system", "alert.raise", *alert.target, "allow", "S9",
                        audit::Detail{}.add("type", "login_spraying").add("alert_id", alert.id)},
                       now));
  return {};
}

Result<std::vector<Alert>> Incidents::alerts(const auth::User& actor, const std::string& cursor,
                                             std::size_t limit) const {
  BAOMI_ASSIGN_OR_RETURN(auto page, alerts(actor, AlertFilter{}, cursor, limit));
  return std::move(page.items);
}

namespace {

bool matches(const Alert& a, const AlertFilter& f) {
  return (!f.type || a.type == *f.type) && (!f.account || a.raised_by == *f.account);
}

// Pages scanned for one answer when the filters on sealed fields (type, account) skip most
// alerts; past it the answer is short and its cursor says where to go on.
constexpr std::size_t kMaxScannedPages = 20;

}  // namespace

Result<AlertPage> Incidents::alerts(const auth::User& actor, const AlertFilter& filter,
                                    const std::string& cursor, std::size_t limit) const {
  if (filter.state && *filter.state != "open" && *filter.state != "acknowledged" &&
      *filter.state != "closed") {
    return Error::invalid("invalid_query",
                          "query parameter 'state' must be open, acknowledged or closed");
  }
  const auto now = rt_.now();
  // S8, S9: the auditor and the security administrator see every alert; a custodian sees the
  // alerts about the documents they keep; anyone else is refused.
  const auto all =
      rt_.policy.decide(auth::subject_of(actor), policy::Action::kReadAlerts, {}, {now});
  ObjectQuery q;
  q.kind = std::string(kAlertKind);
  q.after_id = cursor;
  q.limit = limit;
  q.state = filter.state;
  if (!all.allowed) {
    policy::Resource own;
    own.custodian_id = actor.id;
    own.level = policy::Level::kPublic;
    BAOMI_TRY(auth::enforce(
        rt_, rt_.policy.decide(auth::subject_of(actor), policy::Action::kReadOwnAlerts, own, {now}),
        actor.id, "alert.list", "alerts"));
    q.owner_id = actor.id;
  }
  AlertPage page;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    for (std::size_t scanned = 0; scanned < kMaxScannedPages; ++scanned) {
      BAOMI_ASSIGN_OR_RETURN(auto objects, objects_.list(tx, q));
      for (const auto& o : objects) {
        BAOMI_ASSIGN_OR_RETURN(auto alert, alert_from_object(o));
        q.after_id = o.id;
        if (!matches(alert, filter)) continue;
        page.items.push_back(std::move(alert));
        if (page.items.size() == limit) break;
      }
      if (page.items.size() == limit) {
        page.next_cursor = page.items.back().id;
        return {};
      }
      if (objects.size() < q.limit) return {};  // the end
    }
    page.next_cursor = q.after_id;  // scanned enough for one answer: go on from here
    return {};
  }));
  BAOMI_TRY(rt_.audit.record(rt_.store,
                             {actor.id, "alert.list", "alerts", "allow", "S8",
                              audit::Detail{}.add("count", page.items.size())},
                             now));
  return page;
}

Result<Alert> Incidents::acknowledge_alert(const auth::User& actor, const std::string& id,
                                           const std::string& note) const {
  return act_on_alert(actor, id, policy::Action::kAcknowledgeAlert, "alert.acknowledge", note);
}

Result<Alert> Incidents::close_alert(const auth::User& actor, const std::string& id,
                                     const std::string& finding) const {
  return act_on_alert(actor, id, policy::Action::kCloseAlert, "alert.close", finding);
}

// Who may act is the policy's; the alert's state decides whether the act still makes sense.
// The note or finding goes into the sealed body; the audit entry names the alert, never the text.
Result<Alert> Incidents::act_on_alert(const auth::User& actor, const std::string& id,
                                      policy::Action action, std::string_view audit_action,
                                      const std::string& text) const {
  const auto target = "alert:" + id;
  const auto now = rt_.now();
  BAOMI_TRY(auth::enforce(rt_, rt_.policy.decide(auth::subject_of(actor), action, {}, {now}),
                          actor.id, audit_action, target));
  const bool closing = action == policy::Action::kCloseAlert;
  const std::string_view field = closing ? "finding" : "note";
  if (text.empty() || text.size() > kMaxIncidentText) {
    return Error::invalid("invalid_field", "field '" + std::string(field) + "' must be 1 to " +
                                               std::to_string(kMaxIncidentText) + " bytes");
  }
  std::optional<Alert> done;
  BAOMI_TRY(rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto object, objects_.get(tx, std::string(kAlertKind), id));
    if (!object) return Error::not_found("no such alert");
    BAOMI_ASSIGN_OR_RETURN(auto alert, alert_from_object(*object));
    if (alert.state == "closed") return Error::conflict("alert_closed", "the alert is closed");
    if (!closing && alert.state != "open") {
      return Error::conflict("alert_not_open", "the alert is acknowledged already");
    }
    if (closing) {
      alert.state = "closed";
      alert.finding = text;
      alert.closed_by = actor.id;
      alert.closed_at = now;
    } else {
      alert.state = "acknowledged";
      alert.note = text;
      alert.acknowledged_by = actor.id;
      alert.acknowledged_at = now;
    }
    auto updated = to_object(alert);
    updated.revision = object->revision;
    updated.created_at = object->created_at;
    updated.updated_at = now;
    BAOMI_TRY(objects_.update(tx, updated));
    const auto detail =
        audit::Detail{}.add("alert_id", id).add("type", alert.type).add("state", alert.state);
    BAOMI_TRY(rt_.audit.append(tx,
                               {actor.id, std::string(audit_action), target, "allow",
                                std::string(alert_rule(alert.type)), detail},
                               now));
    done = std::move(alert);
    return {};
  }));
  return std::move(*done);
}

}  // namespace baomi::services
