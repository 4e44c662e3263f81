// Helpers for the audit tests: a deterministic signing key and sealed chains with checkpoints.
// Not thread-safe (tests only).
#pragma once

#include <sodium.h>

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "audit/chain.h"
#include "audit/checkpoint.h"
#include "audit/entry.h"
#include "core/bytes.h"

namespace baomi::audit::testing {

struct TestKey {
  std::array<std::uint8_t, 32> pk{};
  std::array<std::uint8_t, 64> sk{};
  Bytes public_key() const { return Bytes(pk.begin(), pk.end()); }
};

// Seeded so that signatures are reproducible (Ed25519 is deterministic).
inline TestKey make_key(std::uint8_t seed_byte) {
  if (sodium_init() < 0) throw std::runtime_error("sodium_init");
  std::array<std::uint8_t, 32> seed{};
  seed.fill(seed_byte);
  TestKey k;
  crypto_sign_seed_keypair(k.pk.data(), k.sk.data(), seed.data());
  return k;
}

// An unsealed entry with realistic, varied field contents.
inline AuditEntry make_entry(std::uint64_t seq) {
  static const char* kActions[] = {"session.create", "document.read_content", "document.list",
                                   "user.update"};
  static const char* kDecisions[] = {"allow", "deny", "error"};
  AuditEntry e;
  e.seq = seq;
  e.time_us = 1'700'000'000'000'000 + static_cast<std::int64_t>(seq) * 1'000;
  e.actor = seq % 7 == 0 ? "-" : "u-" + std::to_string(1000 + seq % 13);
  e.action = kActions[seq % 4];
  e.target = "document:d-" + std::to_string(seq * 31 % 997);
  e.decision = kDecisions[seq % 3];
  e.rule = seq % 3 == 1 ? "S6" : "";
  e.policy_version = "7d9a0c5e11b4";
  e.detail = "{\"version\":" + std::to_string(seq % 5) + ",\"reason\":\"need_to_know\"}";
  return e;
}

// Entries 1..n, sealed into one chain.
inline std::vector<AuditEntry> make_chain(std::uint64_t n) {
  std::vector<AuditEntry> chain;
  chain.reserve(n);
  std::string prev = genesis_hash();
  for (std::uint64_t seq = 1; seq <= n; ++seq) {
    AuditEntry e = make_entry(seq);
    seal_entry(e, prev);
    prev = e.hash;
    chain.push_back(std::move(e));
  }
  return chain;
}

// A signed checkpoint on every `every`-th entry.
inline std::vector<Checkpoint> make_checkpoints(const std::vector<AuditEntry>& chain,
                                                std::uint64_t every, const TestKey& key) {
  std::vector<Checkpoint> cps;
  for (const auto& e : chain) {
    if (e.seq % every == 0) cps.push_back(sign_checkpoint(e.seq, e.hash, e.time_us, key.sk.data()));
  }
  return cps;
}

}  // namespace baomi::audit::testing
