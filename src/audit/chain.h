// The audit hash chain (I1): the canonical byte encoding of an entry and the BLAKE2b-256 link
// hash = BLAKE2b-256(prev_hash_bytes || canonical_bytes(entry)). docs/audit-format.md gives the
// exact bytes so an outside auditor can re-implement it. Pure functions; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "audit/entry.h"
#include "core/bytes.h"

namespace baomi::audit {

inline constexpr std::size_t kHashSize = 32;  // BLAKE2b-256
inline constexpr std::string_view kEntryDomain = "baomi-audit-v1";
using RawHash = std::array<std::uint8_t, kHashSize>;

// Domain tag, then every field except prev_hash/hash, each length-prefixed or fixed-width.
Bytes canonical_bytes(const AuditEntry& e);
// Same bytes appended to `out`, so hot loops can reuse one buffer.
void append_canonical_bytes(Bytes& out, const AuditEntryView& e);
inline void append_canonical_bytes(Bytes& out, const AuditEntry& e) {
  append_canonical_bytes(out, view_of(e));
}

// Lowercase hex of the entry's hash. prev_hash_hex must be a hash in canonical form
// (is_hash_hex); anything else is a caller bug and throws std::invalid_argument — callers that
// read the previous hash from storage check it first and report an integrity error.
std::string compute_entry_hash(std::string_view prev_hash_hex, const AuditEntry& e);
// The same hash from raw bytes; `scratch` is reused between calls to avoid allocation.
RawHash compute_entry_hash_raw(const RawHash& prev, const AuditEntryView& e, Bytes& scratch);
inline RawHash compute_entry_hash_raw(const RawHash& prev, const AuditEntry& e, Bytes& scratch) {
  return compute_entry_hash_raw(prev, view_of(e), scratch);
}

// prev_hash of entry 1: 64 '0' characters (32 zero bytes).
std::string genesis_hash();
// Sets e.prev_hash and e.hash; same precondition as compute_entry_hash.
void seal_entry(AuditEntry& e, std::string_view prev_hash_hex);

// Strict canonical hex: exactly 2*n characters, lowercase only, so that no two texts name the
// same bytes and a case change in a stored hash counts as tampering.
bool decode_lower_hex(std::string_view hex, std::uint8_t* out, std::size_t n);
std::optional<RawHash> parse_hash_hex(std::string_view hex);
inline bool is_hash_hex(std::string_view hex) { return parse_hash_hex(hex).has_value(); }

}  // namespace baomi::audit
