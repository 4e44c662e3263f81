// The offline audit verifier (audit/verify) fed crafted rows: what `baomi audit verify` reads
// from a database an attacker could have edited (I1). Entries come from the input, either as
// given or sealed into a valid chain and then damaged at one fuzzer-chosen place; checkpoints are
// signed with a fixed key or forged. Properties: no crash, no leak; a chain sealed and left
// intact verifies, and one damaged after sealing never does.
#include <sodium.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "audit/chain.h"
#include "audit/checkpoint.h"
#include "audit/verify.h"
#include "fuzz_input.h"

namespace {

struct Keys {
  std::uint8_t pk[crypto_sign_PUBLICKEYBYTES];
  std::uint8_t sk[crypto_sign_SECRETKEYBYTES];
};

const Keys& keys() {
  static const Keys k = [] {
    if (sodium_init() < 0) __builtin_trap();
    Keys out;
    std::uint8_t seed[crypto_sign_SEEDBYTES];
    for (unsigned i = 0; i < sizeof seed; ++i) seed[i] = static_cast<std::uint8_t>(i);
    crypto_sign_seed_keypair(out.pk, out.sk, seed);
    return out;
  }();
  return k;
}

baomi::audit::AuditEntry entry_from(baomi::fuzz::FuzzInput& in, std::uint64_t seq) {
  baomi::audit::AuditEntry e;
  e.seq = seq;
  e.time_us = static_cast<std::int64_t>(in.u64() >> 8);
  e.actor = std::string(in.until('\x1f'));
  e.action = std::string(in.until('\x1f'));
  e.target = std::string(in.until('\x1f'));
  e.decision = std::string(in.until('\x1f'));
  e.rule = std::string(in.until('\x1f'));
  e.policy_version = std::string(in.until('\x1f'));
  e.detail = std::string(in.until('\x1e'));
  return e;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace baomi;
  fuzz::FuzzInput in(data, size);
  const std::uint8_t mode = in.byte();
  const std::uint8_t damage_at = in.byte();
  const bool seal = mode & 1;

  std::vector<audit::AuditEntry> entries;
  while (!in.empty() && entries.size() < 64) {
    std::uint64_t seq = entries.size() + 1;
    if (!seal && (mode & 2)) seq = in.u64() % 70;  // gaps, repeats, zero
    auto e = entry_from(in, seq);
    if (seal) {
      audit::seal_entry(e, entries.empty() ? audit::genesis_hash() : entries.back().hash);
    } else {
      e.prev_hash = std::string(in.until('\x1e'));
      e.hash = std::string(in.until('\x1e'));
    }
    entries.push_back(std::move(e));
  }

  std::vector<audit::Checkpoint> checkpoints;
  for (const auto& e : entries) {
    if (e.seq % 8 != 0) continue;
    auto cp = audit::sign_checkpoint(e.seq, e.hash, e.time_us, keys().sk);
    if (mode & 4) cp.signature[0] = cp.signature[0] == 'a' ? 'b' : 'a';  // forged
    checkpoints.push_back(std::move(cp));
  }

  bool damaged = false;
  if (seal && (mode & 8) && !entries.empty()) {
    auto& victim = entries[damage_at % entries.size()];
    victim.detail += '!';  // content changed after sealing: the chain must notice
    damaged = true;
  }

  audit::ChainVerifier verifier(Bytes(keys().pk, keys().pk + sizeof keys().pk));
  verifier.add_checkpoints(checkpoints);
  bool fed_all = true;
  for (const auto& e : entries) {
    if (!verifier.feed(e)) {
      fed_all = false;
      break;
    }
  }
  const auto report = verifier.finish();
  if (damaged) fuzz::check(!report.ok, "a damaged chain verified");
  if (seal && !damaged && !(mode & 4) && fed_all) {
    fuzz::check(report.ok, "an intact sealed chain did not verify");
  }
  return 0;
}
