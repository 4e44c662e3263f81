// Micro-benchmarks of the audit chain: how fast entries are sealed (per append) and how fast a
// ChainVerifier checks a stored trail (target: >= 1M entries/s), with a signed checkpoint every
// 1000 entries as AuditOptions' default writes them.
#include <benchmark/benchmark.h>
#include <sodium.h>

#include <cstdint>
#include <string>
#include <vector>

#include "audit/chain.h"
#include "audit/checkpoint.h"
#include "audit/verify.h"
#include "crypto/init.h"
#include "crypto/random.h"

namespace {

namespace audit = baomi::audit;

constexpr std::uint64_t kCheckpointEvery = 1000;

// An entry shaped like the server's metadata-read entries.
audit::AuditEntry typical_entry(std::uint64_t seq, const std::string& actor,
                                const std::string& target) {
  audit::AuditEntry e;
  e.seq = seq;
  e.time_us = 1'790'000'000'000'000 + static_cast<std::int64_t>(seq) * 350;
  e.actor = actor;
  e.action = "document.read_metadata";
  e.target = target;
  e.decision = "allow";
  e.rule = "S6";
  e.policy_version = std::string(64, 'a');
  e.detail = "{}";
  return e;
}

struct Trail {
  std::vector<audit::AuditEntry> entries;
  std::vector<audit::Checkpoint> checkpoints;
  baomi::Bytes public_key;
};

Trail make_trail(std::uint64_t n) {
  baomi::crypto::init();
  Trail t;
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(pk, sk);
  t.public_key.assign(pk, pk + sizeof pk);
  const std::string actor = baomi::crypto::random_id();
  const std::string target = "document:" + baomi::crypto::random_id();
  std::string prev = audit::genesis_hash();
  t.entries.reserve(n);
  for (std::uint64_t seq = 1; seq <= n; ++seq) {
    auto e = typical_entry(seq, actor, target);
    audit::seal_entry(e, prev);
    prev = e.hash;
    if (seq % kCheckpointEvery == 0) {
      t.checkpoints.push_back(audit::sign_checkpoint(seq, e.hash, e.time_us, sk));
    }
    t.entries.push_back(std::move(e));
  }
  sodium_memzero(sk, sizeof sk);
  return t;
}

void BM_AuditChainVerify(benchmark::State& state) {
  const auto trail = make_trail(static_cast<std::uint64_t>(state.range(0)));
  for (auto _ : state) {
    audit::ChainVerifier v(trail.public_key);
    v.add_checkpoints(trail.checkpoints);
    for (const auto& e : trail.entries) v.feed(e);
    auto report = v.finish();
    if (!report.ok || report.entries != trail.entries.size()) state.SkipWithError("not ok");
    benchmark::DoNotOptimize(report);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * trail.entries.size()));
}
BENCHMARK(BM_AuditChainVerify)->Arg(100'000)->Unit(benchmark::kMillisecond);

// Sealing one entry (canonical bytes + BLAKE2b + hex), as every append does.
void BM_AuditSealEntry(benchmark::State& state) {
  baomi::crypto::init();
  auto e = typical_entry(1, baomi::crypto::random_id(), "document:" + baomi::crypto::random_id());
  std::string prev = audit::genesis_hash();
  for (auto _ : state) {
    audit::seal_entry(e, prev);
    benchmark::DoNotOptimize(e.hash.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AuditSealEntry);

}  // namespace
