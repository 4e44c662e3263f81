#include "services/audit_trail/audit_trail.h"

#include "auth/guard.h"

namespace baomi::services {

Result<void> AuditTrail::allow(const auth::User& actor, std::string_view action) const {
  return auth::enforce(
      rt_, rt_.policy.decide(auth::subject_of(actor), policy::Action::kReadAudit, {}, {rt_.now()}),
      actor.id, action, "audit");
}

Result<AuditPage> AuditTrail::query(const auth::User& actor, storage::AuditQuery q) const {
  BAOMI_TRY(allow(actor, "audit.query"));
  const std::size_t limit = q.limit;
  q.limit = limit + 1;
  AuditPage page;
  BAOMI_TRY(rt_.store.read([&](storage::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(page.items, tx.query_audit(q));
    return {};
  }));
  if (page.items.size() > limit) {
    page.items.resize(limit);
    page.next_cursor = page.items.back().seq;
  }
  BAOMI_TRY(rt_.audit.record(rt_.store, {actor.id, "audit.query", "audit", "allow", "", "{}"},
                             rt_.now()));
  return page;
}

Result<audit::VerifyReport> AuditTrail::verify(const auth::User& actor) const {
  BAOMI_TRY(allow(actor, "audit.verify"));
  std::optional<audit::VerifyReport> report;
  const auto key = rt_.audit.public_key();
  BAOMI_TRY(rt_.store.read([&](storage::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(report, audit::verify_store(tx, key));
    return {};
  }));
  BAOMI_TRY(rt_.audit.record(rt_.store,
                             {actor.id, "audit.verify", "audit", "allow", "I1",
                              std::string(R"({"ok":)") + (report->ok ? "true" : "false") + "}"},
                             rt_.now()));
  return std::move(*report);
}

Result<SignedCheckpoint> AuditTrail::checkpoint(const auth::User& actor) const {
  BAOMI_TRY(allow(actor, "audit.checkpoint"));
  const auto now = rt_.now();
  std::optional<storage::CheckpointRow> latest;
  BAOMI_TRY(rt_.store.write([&](storage::WriteTx& tx) -> Result<void> {
    BAOMI_TRY(
        rt_.audit.append(tx, {actor.id, "audit.checkpoint", "audit", "allow", "", "{}"}, now));
    BAOMI_TRY(rt_.audit.checkpoint(tx, now));
    BAOMI_ASSIGN_OR_RETURN(latest, tx.latest_checkpoint());
    return {};
  }));
  if (!latest) return Error::not_found("no checkpoint yet");
  return SignedCheckpoint{*latest, to_hex(rt_.audit.public_key())};
}

}  // namespace baomi::services
