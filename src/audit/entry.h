// AuditEntry and Checkpoint: the plain records of the tamper-evident audit trail (I1, S9).
// The byte format that binds them is in chain.h / checkpoint.h and docs/audit-format.md.
// Plain value types; thread-safe as values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace baomi::audit {

struct AuditEntry {
  std::uint64_t seq = 0;       // 1, 2, 3, … no gaps
  std::int64_t time_us = 0;    // microseconds since the Unix epoch, UTC
  std::string actor;           // account id, or "-" for anonymous, or "system"
  std::string action;          // e.g. "session.create", "document.read_content"
  std::string target;          // e.g. "document:<id>", "user:<id>"; never plaintext personal data
  std::string decision;        // "allow" | "deny" | "error"
  std::string rule;            // RULES.md id or ""
  std::string policy_version;  // hex hash of the policy the decision was made under
  // Small JSON object text with non-secret extras (e.g. {"version":3,"reason":"need_to_know"});
  // keyed hashes where a value must be searchable, never the value in clear.
  std::string detail;
  std::string prev_hash;  // lowercase hex of the previous entry's hash (64 zeros for seq 1)
  std::string hash;       // lowercase hex BLAKE2b-256(prev_hash_bytes || canonical_bytes(entry))
};

// The same fields as views, e.g. into a storage engine's row buffer while a scan stands on the
// row: what `audit verify` reads, so that no entry's fields are copied. Valid while what it
// views lives.
struct AuditEntryView {
  std::uint64_t seq = 0;
  std::int64_t time_us = 0;
  std::string_view actor;
  std::string_view action;
  std::string_view target;
  std::string_view decision;
  std::string_view rule;
  std::string_view policy_version;
  std::string_view detail;
  std::string_view prev_hash;
  std::string_view hash;
};

inline AuditEntryView view_of(const AuditEntry& e) {
  return {e.seq,  e.time_us,        e.actor,  e.action,    e.target, e.decision,
          e.rule, e.policy_version, e.detail, e.prev_hash, e.hash};
}

// A signed statement "the entry with this seq has this hash", made by the server's audit key.
struct Checkpoint {
  std::uint64_t seq = 0;
  std::string head;  // lowercase hex hash of entry `seq`
  std::int64_t time_us = 0;
  std::string signature;  // lowercase hex Ed25519 signature over checkpoint_message()
};

}  // namespace baomi::audit
