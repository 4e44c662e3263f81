#include "audit/chain.h"

#include <sodium.h>

#include <stdexcept>

#include "crypto/init.h"

namespace baomi::audit {

namespace {

// Maps a character to its value as a lowercase hex digit, or -1.
constexpr std::array<std::int8_t, 256> make_hex_table() {
  std::array<std::int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (int c = '0'; c <= '9'; ++c)
    t[static_cast<std::size_t>(c)] = static_cast<std::int8_t>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c) {
    t[static_cast<std::size_t>(c)] = static_cast<std::int8_t>(c - 'a' + 10);
  }
  return t;
}
constexpr auto kHexTable = make_hex_table();

}  // namespace

void append_canonical_bytes(Bytes& out, const AuditEntryView& e) {
  // I1: explicit lengths make the encoding injective, so no edit of one field can be
  // compensated by another; the tag keeps these bytes from meaning anything else.
  append_field(out, kEntryDomain);
  append_u64(out, e.seq);
  append_u64(out, static_cast<std::uint64_t>(e.time_us));  // two's complement
  append_field(out, e.actor);
  append_field(out, e.action);
  append_field(out, e.target);
  append_field(out, e.decision);
  append_field(out, e.rule);
  append_field(out, e.policy_version);
  append_field(out, e.detail);
}

Bytes canonical_bytes(const AuditEntry& e) {
  Bytes out;
  append_canonical_bytes(out, e);
  return out;
}

RawHash compute_entry_hash_raw(const RawHash& prev, const AuditEntryView& e, Bytes& scratch) {
  crypto::detail::ensure_init();  // sodium_init picks the fastest BLAKE2b for this CPU
  scratch.assign(prev.begin(), prev.end());
  append_canonical_bytes(scratch, e);
  RawHash out{};
  crypto_generichash(out.data(), out.size(), scratch.data(), scratch.size(), nullptr, 0);
  return out;
}

std::string compute_entry_hash(std::string_view prev_hash_hex, const AuditEntry& e) {
  const auto prev = parse_hash_hex(prev_hash_hex);
  if (!prev) throw std::invalid_argument("compute_entry_hash: previous hash is not canonical hex");
  Bytes scratch;
  const RawHash h = compute_entry_hash_raw(*prev, e, scratch);
  return to_hex(h.data(), h.size());
}

std::string genesis_hash() { return std::string(2 * kHashSize, '0'); }

void seal_entry(AuditEntry& e, std::string_view prev_hash_hex) {
  e.hash = compute_entry_hash(prev_hash_hex, e);
  e.prev_hash = std::string(prev_hash_hex);
}

bool decode_lower_hex(std::string_view hex, std::uint8_t* out, std::size_t n) {
  if (hex.size() != 2 * n) return false;
  for (std::size_t i = 0; i < n; ++i) {
    const int hi = kHexTable[static_cast<unsigned char>(hex[2 * i])];
    const int lo = kHexTable[static_cast<unsigned char>(hex[2 * i + 1])];
    if ((hi | lo) < 0) return false;
    out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return true;
}

std::optional<RawHash> parse_hash_hex(std::string_view hex) {
  RawHash h{};
  if (!decode_lower_hex(hex, h.data(), h.size())) return std::nullopt;
  return h;
}

}  // namespace baomi::audit
