#include "services/retention/retention.h"

#include <algorithm>
#include <boost/json.hpp>

#include "audit/detail.h"
#include "auth/guard.h"
#include "crypto/random.h"
#include "services/documents/lifecycle.h"
#include "services/workflow/json_fields.h"

namespace baomi::services {
namespace {

constexpr std::size_t kMaxRetentionReason = 2000;
constexpr std::size_t kRetentionPage = 256;
constexpr std::string_view kTombstoneDomain = "document-tombstone";

Error not_approved() {
  return Error::conflict(
      "not_approved", "no approved destroy request of yours covers this document or version", "A1");
}

// S5, H3, I1: what the tombstone states, in one canonical JSON text that is signed as it is.
std::string statement_of(const Tombstone& t) {
  boost::json::array approvers;
  for (const auto& id : t.approved_by) approvers.emplace_back(id);
  boost::json::array versions;
  for (const auto& v : t.versions) {
    versions.push_back(boost::json::object{{"version", v.version}, {"sha256", v.sha256}});
  }
  boost::json::object s{
      {"document_id", t.document_id},
      {"version", t.version == 0 ? boost::json::value(nullptr) : boost::json::value(t.version)},
      {"destroyed_at", format_rfc3339(t.destroyed_at)},
      {"destroyed_by", t.destroyed_by},
      {"request_id", t.request_id},
      {"approved_by", std::move(approvers)},
      {"versions", std::move(versions)}};
  return boost::json::serialize(s);
}

Result<Tombstone> tombstone_from(const StoredObject& o) {
  BodyReader r(o.body);
  Tombstone t;
  t.id = o.id;
  BAOMI_ASSIGN_OR_RETURN(t.statement, r.string("statement"));
  BAOMI_ASSIGN_OR_RETURN(t.signature, r.string("signature"));
  boost::system::error_code ec;
  auto parsed = boost::json::parse(t.statement, ec);
  const auto* s = parsed.if_object();
  if (ec || !s) return Error::integrity("a stored tombstone is malformed");
  BodyReader st(*s);
  BAOMI_ASSIGN_OR_RETURN(t.document_id, st.string("document_id"));
  BAOMI_ASSIGN_OR_RETURN(t.destroyed_by, st.string("destroyed_by"));
  BAOMI_ASSIGN_OR_RETURN(t.request_id, st.string("request_id"));
  BAOMI_ASSIGN_OR_RETURN(auto at, st.string("destroyed_at"));
  const auto when = parse_rfc3339(at);
  const auto* version = s->if_contains("version");
  const auto* approvers = s->if_contains("approved_by");
  const auto* versions = s->if_contains("versions");
  if (!when || !version || !approvers || !approvers->is_array() || !versions ||
      !versions->is_array()) {
    return Error::integrity("a stored tombstone is malformed");
  }
  t.destroyed_at = *when;
  if (version->is_uint64()) t.version = version->as_uint64();
  if (version->is_int64() && version->as_int64() > 0) {
    t.version = static_cast<std::uint64_t>(version->as_int64());
  }
  for (const auto& a : approvers->as_array()) {
    if (!a.is_string()) return Error::integrity("a stored tombstone is malformed");
    t.approved_by.emplace_back(a.as_string());
  }
  for (const auto& v : versions->as_array()) {
    const auto* o = v.if_object();
    if (!o) return Error::integrity("a stored tombstone is malformed");
    BodyReader vr(*o);
    DestroyedVersion d;
    BAOMI_ASSIGN_OR_RETURN(d.version, vr.unsigned_integer("version"));
    BAOMI_ASSIGN_OR_RETURN(d.sha256, vr.string("sha256"));
    t.versions.push_back(std::move(d));
  }
  return t;
}

bool outstanding(const Copy& c) {
  return c.state == CopyState::kIssued || c.state == CopyState::kLost;
}

}  // namespace

Error Retention::refuse(const auth::User& actor, std::string_view action, const std::string& id,
                        Error error) const {
  const bool refusal = error.kind == ErrorKind::kConflict || error.kind == ErrorKind::kGone ||
                       error.kind == ErrorKind::kInvalidArgument;
  if (!refusal) return error;
  auto recorded = rt_.audit.record(rt_.store,
                                   {actor.id, std::string(action), document_target(id), "deny",
                                    error.rule, audit::Detail{}.add("reason", error.code)},
                                   rt_.now());
  if (!recorded.ok()) return recorded.take_error();
  return error;
}

Result<HoldState> Retention::hold(const auth::User& actor, const std::string& id,
                                  const std::string& reason) const {
  return set_hold(actor, id, reason, true);
}

Result<HoldState> Retention::release(const auth::User& actor, const std::string& id,
                                     const std::string& reason) const {
  return set_hold(actor, id, reason, false);
}

Result<HoldState> Retention::set_hold(const auth::User& actor, const std::string& id,
                                      const std::string& reason, bool placed) const {
  const std::string action = placed ? "document.hold" : "document.release";
  BAOMI_ASSIGN_OR_RETURN(auto doc, documents_.load_for(actor, action, id));
  const auto now = rt_.now();
  // H3: who places and lifts legal holds is the policy's decision (default: the security
  // administrator and the auditor).
  BAOMI_TRY(auth::enforce(rt_,
                          rt_.policy.decide(auth::subject_of(actor), policy::Action::kHoldRecord,
                                            resource_of(doc), {now}),
                          actor.id, action, document_target(id)));
  if (reason.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Error::invalid("invalid_field", "field 'reason' must not be empty");
  }
  if (reason.size() > kMaxRetentionReason) {
    return Error::invalid("invalid_field", "field 'reason' must be at most 2000 bytes");
  }
  HoldState state{id, placed, actor.id, now};
  auto done = rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto fresh, records_.find(tx, id));
    if (!fresh) return Error::not_found();
    if (fresh->destroyed_at) return destroyed_error();
    BAOMI_ASSIGN_OR_RETURN(auto stored, records_.find_lifecycle(tx, id));
    DocumentLifecycle lifecycle = stored.value_or(DocumentLifecycle{});
    lifecycle.document_id = id;
    if (placed && lifecycle.hold) {
      return Error::conflict("already_held", "the document is already under a legal hold", "H3");
    }
    if (!placed && !lifecycle.hold) {
      return Error::conflict("not_held", "the document is not under a legal hold", "H3");
    }
    lifecycle.hold = placed;
    lifecycle.hold_by = actor.id;
    lifecycle.hold_at = now;
    lifecycle.hold_reason = reason;  // sealed; never in the trail
    BAOMI_TRY(records_.put_lifecycle(tx, lifecycle, stored.has_value()));
    BAOMI_TRY(rt_.audit.append(
        tx,
        {actor.id, action, document_target(id), "allow", "H3", audit::Detail{}.add("hold", placed)},
        now));
    return {};
  });
  if (!done.ok()) return refuse(actor, action, id, done.take_error());
  return state;
}

Result<Request> Retention::approved_request(const auth::User& actor, const Document& doc,
                                            const DestroySpec& spec, TimePoint now) const {
  const std::uint64_t version = spec.version.value_or(0);
  // A1: the approval the policy's routing gave to this custodian's request for exactly this.
  const auto fits = [&](const Request& q) {
    return q.type == policy::RequestType::kDestroy && q.document_id == doc.id &&
           q.requester_id == actor.id && q.state == RequestState::kApproved &&
           q.version == version && q.decided_at && now < *q.decided_at + std::chrono::days{q.days};
  };
  std::optional<Request> found;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    if (spec.request_id) {
      auto q = requests_.load(tx, *spec.request_id);
      if (!q.ok() && q.error().kind == ErrorKind::kNotFound) return {};
      BAOMI_TRY(q);
      if (fits(*q)) found = std::move(q).value();
      return {};
    }
    ObjectQuery query;
    query.kind = std::string(kRequestKind);
    query.state = std::string(request_state_name(RequestState::kApproved));
    query.document_id = doc.id;
    query.owner_id = actor.id;
    query.limit = kRetentionPage;
    for (;;) {
      BAOMI_ASSIGN_OR_RETURN(auto page, objects_.list(tx, query));
      for (const auto& o : page) {
        BAOMI_ASSIGN_OR_RETURN(auto q, request_from_object(o));
        if (fits(q) && (!found || *q.decided_at > *found->decided_at)) found = std::move(q);
      }
      if (page.size() < query.limit) break;
      query.after_id = page.back().id;
    }
    return {};
  }));
  if (!found) return not_approved();
  return std::move(*found);
}

Result<DestructionReceipt> Retention::destroy(const auth::User& actor, const std::string& id,
                                              const DestroySpec& spec) const {
  constexpr std::string_view kAction = "document.destroy";
  BAOMI_ASSIGN_OR_RETURN(auto doc, documents_.load_for(actor, kAction, id));
  const auto now = rt_.now();
  // S5: the custodian keeps the document and carries out its destruction.
  BAOMI_TRY(
      auth::enforce(rt_,
                    rt_.policy.decide(auth::subject_of(actor), policy::Action::kDestroyDocument,
                                      resource_of(doc), {now}),
                    actor.id, kAction, document_target(id)));
  if (spec.version && *spec.version == 0) {
    return Error::invalid("invalid_field", "field 'version' must be a positive integer");
  }
  auto request = approved_request(actor, doc, spec, now);
  if (!request.ok()) return refuse(actor, kAction, id, request.take_error());
  DestructionReceipt receipt;
  auto done = rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(receipt.tombstone,
                           shred(tx, actor, id, spec.version.value_or(0), *request, now));
    return {};
  });
  if (!done.ok()) return refuse(actor, kAction, id, done.take_error());
  BAOMI_ASSIGN_OR_RETURN(receipt.recall, copies_to_recall(id, spec.version.value_or(0)));
  return receipt;
}

// In one job: the checks on fresh rows (H3), the keys erased, the signed tombstone stored and
// the destruction audited, or none of it.
Result<Tombstone> Retention::shred(barrier::WriteTx& tx, const auth::User& actor,
                                   const std::string& id, std::uint64_t version,
                                   const Request& request, TimePoint now) const {
  BAOMI_ASSIGN_OR_RETURN(auto doc, records_.find(tx, id));
  if (!doc) return Error::not_found();
  BAOMI_TRY(check_destroyable(rt_.policy, *doc, now));
  Tombstone t;
  t.id = crypto::random_id();
  t.document_id = id;
  t.version = version;
  t.destroyed_at = now;
  t.destroyed_by = actor.id;
  t.request_id = request.id;
  for (const auto& a : request.approvals) t.approved_by.push_back(a.approver_id);
  std::vector<DocumentVersion> rows;
  if (version != 0) {
    BAOMI_ASSIGN_OR_RETURN(auto row, records_.find_version(tx, id, version));
    if (!row || row->state == VersionState::kPending) return Error::not_found("no such version");
    if (row->state == VersionState::kDestroyed) return version_destroyed_error();
    rows.push_back(std::move(*row));
  } else {
    BAOMI_ASSIGN_OR_RETURN(auto all, records_.versions_of(tx, id));
    for (auto& v : all) {
      if (v.state == VersionState::kDestroyed) continue;
      if (v.state == VersionState::kPending) {
        // An upload never committed leaves no tombstone: its row, key and chunks go now (an
        // upload still writing then finds its version gone).
        BAOMI_TRY(records_.erase_version(tx, id, v.version));
        continue;
      }
      BAOMI_ASSIGN_OR_RETURN(auto sealed, records_.find_version(tx, id, v.version));
      if (!sealed) return Error::integrity("a version disappeared during its destruction");
      rows.push_back(std::move(*sealed));
    }
  }
  for (auto& row : rows) {
    t.versions.push_back({row.version, row.sha256});
    BAOMI_TRY(records_.erase_version_key(tx, row));
  }
  if (version == 0) {
    // The whole document: its own key with its title and description, and the lifecycle row
    // that says so (MAC-covered, in the record ledger: I1).
    BAOMI_TRY(records_.erase_document_key(tx, *doc));
    BAOMI_ASSIGN_OR_RETURN(auto stored, records_.find_lifecycle(tx, id));
    DocumentLifecycle lifecycle = stored.value_or(DocumentLifecycle{});
    lifecycle.document_id = id;
    lifecycle.destroyed_at = now;
    lifecycle.destroyed_by = actor.id;
    lifecycle.destroy_request_id = request.id;
    BAOMI_TRY(records_.put_lifecycle(tx, lifecycle, stored.has_value()));
  }
  t.statement = statement_of(t);
  t.signature = rt_.audit.sign_statement(kTombstoneDomain, t.statement);
  StoredObject object;
  object.kind = std::string(kTombstoneKind);
  object.id = t.id;
  object.state = version == 0 ? "document" : "version";
  object.document_id = id;
  object.owner_id = actor.id;
  object.created_at = object.updated_at = now;
  object.body["statement"] = t.statement;
  object.body["signature"] = t.signature;
  BAOMI_TRY(objects_.insert(tx, object));
  // Not the statement or its signature: they name each version's plaintext SHA-256, and the
  // trail is stored in clear, where a digest (or a signature checked against a guessed
  // statement) would confirm a guess of the destroyed content. The sealed tombstone keeps them.
  std::vector<std::uint64_t> destroyed;
  for (const auto& v : t.versions) destroyed.push_back(v.version);
  BAOMI_TRY(rt_.audit.append(tx,
                             {actor.id, "document.destroy", document_target(id), "allow", "H3",
                              audit::Detail{}
                                  .add("tombstone", t.id)
                                  .add("request_id", t.request_id)
                                  .add("versions", destroyed)},
                             now));
  return t;
}

Result<std::vector<Copy>> Retention::copies_to_recall(const std::string& id,
                                                      std::uint64_t version) const {
  std::vector<Copy> out;
  ObjectQuery query;
  query.kind = std::string(kCopyKind);
  query.document_id = id;
  query.limit = kRetentionPage;
  for (;;) {
    std::vector<StoredObject> page;
    BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
      BAOMI_ASSIGN_OR_RETURN(page, objects_.list(tx, query));
      return {};
    }));
    for (const auto& o : page) {
      BAOMI_ASSIGN_OR_RETURN(auto copy, copy_from_object(o));
      if (outstanding(copy) && (version == 0 || copy.version == version)) {
        out.push_back(std::move(copy));
      }
    }
    if (page.size() < query.limit) break;
    query.after_id = page.back().id;
  }
  return out;
}

Result<std::vector<Tombstone>> Retention::tombstones(const auth::User& actor,
                                                     const std::string& id) const {
  constexpr std::string_view kAction = "document.read_tombstones";
  BAOMI_ASSIGN_OR_RETURN(auto doc, documents_.load_for(actor, kAction, id));
  const auto now = rt_.now();
  BAOMI_TRY(auth::enforce(
      rt_,
      rt_.policy.decide(auth::subject_of(actor), policy::Action::kReadDocumentMetadata,
                        resource_of(doc), {now}),
      actor.id, kAction, document_target(id)));
  std::vector<Tombstone> out;
  ObjectQuery query;
  query.kind = std::string(kTombstoneKind);
  query.document_id = id;
  query.limit = kRetentionPage;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    for (;;) {
      BAOMI_ASSIGN_OR_RETURN(auto page, objects_.list(tx, query));
      for (const auto& o : page) {
        BAOMI_ASSIGN_OR_RETURN(auto t, tombstone_from(o));
        out.push_back(std::move(t));
      }
      if (page.size() < query.limit) break;
      query.after_id = page.back().id;
    }
    return {};
  }));
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.destroyed_at < b.destroyed_at; });
  BAOMI_TRY(rt_.audit.record(rt_.store,
                             {actor.id, std::string(kAction), document_target(id), "allow", "H3",
                              audit::Detail{}.add("count", out.size())},
                             now));
  return out;
}

}  // namespace baomi::services
