// AuditTrail: the auditor's window on the trail (only the auditor reads it: separation of
// duties). Reading the trail is itself audited.
// Thread-safe (stateless over the Runtime).
#pragma once

#include <vector>

#include "audit/audit_log.h"
#include "auth/user.h"

namespace baomi::services {

struct AuditPage {
  std::vector<storage::AuditRow> items;
  std::optional<std::uint64_t> next_cursor;
};

struct SignedCheckpoint {
  storage::CheckpointRow checkpoint;
  std::string public_key_hex;
};

class AuditTrail {
 public:
  explicit AuditTrail(const auth::Runtime& rt) : rt_(rt) {}

  Result<AuditPage> query(const auth::User& actor, storage::AuditQuery q) const;
  Result<audit::VerifyReport> verify(const auth::User& actor) const;
  // Signs a fresh checkpoint of the head if needed, then returns the latest one.
  Result<SignedCheckpoint> checkpoint(const auth::User& actor) const;

 private:
  Result<void> allow(const auth::User& actor, std::string_view action) const;
  const auth::Runtime& rt_;
};

}  // namespace baomi::services
