// Audit signing-key rotation (issue 15; docs/operations.md, "Rotating the audit signing key").
// rotate() hands the trail over to a fresh Ed25519 key in one write job: the old key signs the
// new public key in an entry of its own (audit/key_transition.h), the new key is stored sealed
// under the master key and signs a checkpoint of that entry; every later checkpoint and tree
// head is signed by it, on every instance on the database. chain() lists the keys for auditors
// (each transition carries its own signatures: nothing in it needs to be trusted).
// Decided by the policy: rotating is kRotateKeys (the security administrator), reading the chain
// is kReadAudit (the auditor). Thread-safety: stateless over the Runtime; safe from any thread.
#pragma once

#include <string>
#include <vector>

#include "audit/key_transition.h"
#include "auth/runtime.h"
#include "auth/user.h"

namespace baomi::services {

struct AuditKeyChain {
  std::string first_public_key;                   // hex: the trust anchor (KEYDIR/audit.pub)
  std::string current_public_key;                 // hex: the key that signs now
  std::vector<audit::KeyTransition> transitions;  // oldest first
};

class AuditKeyRotation {
 public:
  explicit AuditKeyRotation(const auth::Runtime& rt) : rt_(rt) {}

  // A new audit signing key; audited (the transition entry itself, action
  // "audit.signing_key_rotate"). Returns the transition recorded.
  Result<audit::KeyTransition> rotate(const auth::User& actor) const;
  // Audited "audit.keys".
  Result<AuditKeyChain> chain(const auth::User& actor) const;

 private:
  const auth::Runtime& rt_;
};

}  // namespace baomi::services
