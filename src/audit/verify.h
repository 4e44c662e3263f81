// Offline verification of the audit trail (I1): the same code serves the auditor's
// `baomi audit verify` and the server's GET /audit/verify. Entries are streamed in seq order in
// constant memory (plus the checkpoint list); the first problem found is reported.
// A ChainVerifier is single-use and not thread-safe; use one per verification run.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/chain.h"
#include "audit/entry.h"
#include "core/bytes.h"

namespace baomi::audit {

struct VerifyReport {
  bool ok = false;
  std::uint64_t entries = 0;  // entries that passed every chain check
  std::string head;           // hex hash of the last such entry; genesis_hash() when none
  std::optional<std::uint64_t> first_bad_seq;
  std::string problem;                     // human sentence; empty when ok
  std::uint64_t checkpoints_verified = 0;  // signature valid and head matched its entry
};

class ChainVerifier {
 public:
  explicit ChainVerifier(Bytes public_key32);

  // All known checkpoints, in any order; call before the first feed() (else std::logic_error).
  void add_checkpoints(std::vector<Checkpoint> cps);
  // Entries in seq order. Returns false once a problem is found; then stop feeding.
  bool feed(const AuditEntry& e);
  // Also checks every checkpoint matched an entry and carries a valid signature.
  VerifyReport finish();

 private:
  bool check_sequence(const AuditEntry& e);
  bool check_links(const AuditEntry& e, RawHash& computed);
  bool check_checkpoints_at(std::uint64_t seq, const RawHash& entry_hash);
  bool check_checkpoint(const Checkpoint& cp, const RawHash& entry_hash);
  bool signature_ok(const Checkpoint& cp);
  bool fail(std::uint64_t seq, std::string problem);

  Bytes public_key_;
  std::vector<Checkpoint> checkpoints_;  // sorted by seq
  std::size_t next_checkpoint_ = 0;
  RawHash prev_{};  // raw hash of the last good entry; zeros = genesis
  std::uint64_t last_seq_ = 0;
  std::uint64_t last_checkpoint_seq_ = 0;  // last checkpoint that verified, for messages
  Bytes scratch_;                          // reused canonical-bytes buffer: no allocation per entry
  VerifyReport report_;
  bool failed_ = false;
};

}  // namespace baomi::audit
