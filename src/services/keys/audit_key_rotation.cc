#include "services/keys/audit_key_rotation.h"

#include "audit/audit_log.h"
#include "auth/guard.h"

namespace baomi::services {

Result<audit::KeyTransition> AuditKeyRotation::rotate(const auth::User& actor) const {
  const auto d =
      rt_.policy.decide(auth::subject_of(actor), policy::Action::kRotateKeys, {}, {rt_.now()});
  BAOMI_TRY(auth::enforce(rt_, d, actor.id, audit::kKeyTransitionAction, "audit-key"));
  std::optional<audit::KeyTransition> transition;
  auto rotated = rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(transition,
                           rt_.audit.rotate_signing_key(tx, actor.id, d.rule, rt_.now()));
    return {};
  });
  // Whatever happened, sign with the key the store holds (a failed job left the old one).
  BAOMI_TRY(rt_.store.read(
      [&](barrier::ReadTx& tx) -> Result<void> { return rt_.audit.refresh_signing_key(tx); }));
  BAOMI_TRY(rotated);
  return std::move(*transition);
}

Result<AuditKeyChain> AuditKeyRotation::chain(const auth::User& actor) const {
  const auto d =
      rt_.policy.decide(auth::subject_of(actor), policy::Action::kReadAudit, {}, {rt_.now()});
  BAOMI_TRY(auth::enforce(rt_, d, actor.id, "audit.keys", "audit"));
  AuditKeyChain out;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_TRY(rt_.audit.refresh_signing_key(tx));
    BAOMI_ASSIGN_OR_RETURN(out.transitions, audit::stored_key_transitions(tx));
    return {};
  }));
  out.first_public_key = to_hex(rt_.audit.first_public_key());
  out.current_public_key = to_hex(rt_.audit.public_key());
  BAOMI_TRY(rt_.audit.record(
      rt_.store, {actor.id, "audit.keys", "audit", "allow", std::string(d.rule), "{}"}, rt_.now()));
  return out;
}

}  // namespace baomi::services
