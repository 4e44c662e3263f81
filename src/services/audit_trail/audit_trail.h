// AuditTrail: the auditor's window on the trail (only the auditor reads it: separation of
// duties). Reading the trail is itself audited.
// Thread-safe (stateless over the Runtime).
#pragma once

#include <vector>

#include "audit/audit_log.h"
#include "audit/trail_reader.h"
#include "audit/tree_store.h"
#include "auth/user.h"

namespace baomi::services {

struct AuditPage {
  std::vector<audit::AuditRow> items;
  std::optional<std::uint64_t> next_cursor;
};

struct SignedCheckpoint {
  audit::CheckpointRow checkpoint;
  std::string public_key_hex;
  std::optional<audit::TreeHeadRow> tree_head;  // of the same size; absent on legacy trails
};

class AuditTrail {
 public:
  explicit AuditTrail(const auth::Runtime& rt) : rt_(rt) {}

  Result<AuditPage> query(const auth::User& actor, audit::AuditQuery q) const;
  Result<audit::VerifyReport> verify(const auth::User& actor) const;
  // Signs a fresh checkpoint of the head if needed, then returns the latest one.
  Result<SignedCheckpoint> checkpoint(const auth::User& actor) const;
  // I1, S10: RFC 9162 proofs from the stored Merkle tree. tree_size defaults to the trail's
  // current length.
  Result<audit::InclusionProof> inclusion_proof(const auth::User& actor, std::uint64_t seq,
                                                std::optional<std::uint64_t> tree_size) const;
  Result<audit::ConsistencyProof> consistency_proof(const auth::User& actor, std::uint64_t from,
                                                    std::uint64_t to) const;
  // S10: a signed evidence bundle (audit/evidence_bundle.h) proving the entries `seqs`, with a
  // minimal manifest: a proven excerpt of the trail.
  Result<Bytes> excerpt_bundle(const auth::User& actor, std::vector<std::uint64_t> seqs,
                               std::optional<std::uint64_t> since_tree_size = std::nullopt) const;

 private:
  Result<void> allow(const auth::User& actor, std::string_view action) const;
  const auth::Runtime& rt_;
};

}  // namespace baomi::services
