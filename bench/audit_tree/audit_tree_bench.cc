// Micro-benchmarks of the audit Merkle tree (I1, S10) on a 1M-entry trail in a real SQLite
// store: inclusion proofs generated from the stored nodes and verified, consistency proofs,
// signing a tree head, and what the tree adds to each append (docs/benchmarks.md).
// Run: BUILD/bench/baomi_audit_tree_bench (a target of its own: it builds in seconds and needs only
// the audit layer).
#include <benchmark/benchmark.h>
#include <time.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <random>

#include "audit/audit_log.h"
#include "audit/trail_tables.h"
#include "audit/tree_head.h"
#include "audit/tree_store.h"
#include "crypto/init.h"
#include "crypto/random.h"
#include "storage/sqlite/sqlite_store.h"

namespace {

namespace audit = baomi::audit;
namespace storage = baomi::storage;

constexpr std::uint64_t kTrail = 1'000'000;

audit::AuditEvent event(std::uint64_t i) {
  return {"u-" + std::to_string(1000 + i % 97),
          "document.read_metadata",
          "document:d-" + std::to_string(i % 5000),
          "allow",
          "S6",
          "{}"};
}

// One store per process: a 1M-entry trail (with its tree) is built once, in 10,000-entry jobs.
struct BigTrail {
  std::filesystem::path dir;
  std::unique_ptr<storage::sqlite::SqliteStore> store;
  std::unique_ptr<audit::AuditLog> log;
  BigTrail() {
    baomi::crypto::init();
    dir =
        std::filesystem::temp_directory_path() / ("baomi-bench-tree-" + baomi::crypto::random_id());
    std::filesystem::create_directories(dir);
    store = storage::sqlite::SqliteStore::open(dir / "baomi.db", true).value();
    log = std::make_unique<audit::AuditLog>(baomi::crypto::SigningKey::generate(),
                                            std::string(64, 'a'));
    for (std::uint64_t done = 0; done < kTrail; done += 10'000) {
      if (!store
               ->write([&](storage::WriteTx& tx) -> baomi::Result<void> {
                 for (std::uint64_t i = done; i < done + 10'000; ++i) {
                   BAOMI_TRY(log->append(tx, event(i), baomi::from_micros(1'790'000'000'000'000)));
                 }
                 return {};
               })
               .ok()) {
        throw std::runtime_error("building the trail failed");
      }
    }
  }
  ~BigTrail() {
    store.reset();
    std::filesystem::remove_all(dir);
  }
};

BigTrail& trail() {
  static BigTrail t;
  return t;
}

void BM_AuditTreeInclusionProofFromStore(benchmark::State& state) {
  auto& t = trail();
  std::mt19937_64 rng(1);
  for (auto _ : state) {
    const std::uint64_t seq = 1 + rng() % kTrail;
    auto r = t.store->read([&](storage::ReadTx& tx) -> baomi::Result<void> {
      BAOMI_ASSIGN_OR_RETURN(auto p, audit::prove_inclusion(tx, seq, kTrail));
      benchmark::DoNotOptimize(p.root_hash);
      return {};
    });
    if (!r.ok()) state.SkipWithError("proof failed");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AuditTreeInclusionProofFromStore)->Unit(benchmark::kMicrosecond)->UseRealTime();

// A timeline page as Investigations::timeline_of reads it (S10): for each target of the case
// (a document and the copies, requests, grants and incidents about it), one range of the
// audit_target (target, seq) index after the cursor, merged by seq. The 1M-entry trail spreads
// its entries over 5,000 documents (200 each); `targets` of them make up the case. Its cost grows
// with the page and the number of targets, not with the trail: no query scans.
void BM_TimelinePage(benchmark::State& state) {
  auto& t = trail();
  const auto targets = static_cast<std::uint64_t>(state.range(0));
  std::mt19937_64 rng(4);
  for (auto _ : state) {
    const std::uint64_t first = rng() % 5000;
    std::vector<audit::AuditRow> rows;
    auto r = t.store->read([&](storage::ReadTx& tx) -> baomi::Result<void> {
      for (std::uint64_t k = 0; k < targets; ++k) {
        audit::AuditQuery q;
        q.target = "document:d-" + std::to_string((first + k) % 5000);
        q.after_seq = rng() % (kTrail / 2);  // a cursor somewhere in the first half
        q.limit = 101;
        BAOMI_ASSIGN_OR_RETURN(auto some, audit::query_audit(tx, q));
        rows.insert(rows.end(), some.begin(), some.end());
      }
      return {};
    });
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.seq < b.seq; });
    if (!r.ok() || rows.empty()) state.SkipWithError("timeline query failed");
    benchmark::DoNotOptimize(rows.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TimelinePage)->Arg(1)->Arg(5)->Arg(20)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_AuditTreeConsistencyProofFromStore(benchmark::State& state) {
  auto& t = trail();
  std::mt19937_64 rng(2);
  for (auto _ : state) {
    const std::uint64_t from = 1 + rng() % kTrail;
    auto r = t.store->read([&](storage::ReadTx& tx) -> baomi::Result<void> {
      BAOMI_ASSIGN_OR_RETURN(auto p, audit::prove_consistency(tx, from, kTrail));
      benchmark::DoNotOptimize(p.to_root);
      return {};
    });
    if (!r.ok()) state.SkipWithError("proof failed");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AuditTreeConsistencyProofFromStore)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_AuditTreeInclusionProofVerify(benchmark::State& state) {
  auto& t = trail();
  std::vector<audit::InclusionProof> proofs;
  std::mt19937_64 rng(3);
  (void)t.store->read([&](storage::ReadTx& tx) -> baomi::Result<void> {
    for (int i = 0; i < 256; ++i) {
      BAOMI_ASSIGN_OR_RETURN(auto p, audit::prove_inclusion(tx, 1 + rng() % kTrail, kTrail));
      proofs.push_back(std::move(p));
    }
    return {};
  });
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& p = proofs[i++ % proofs.size()];
    const bool ok =
        audit::verify_inclusion(p.seq - 1, p.tree_size, p.leaf_hash, p.audit_path, p.root_hash);
    if (!ok) state.SkipWithError("proof did not verify");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AuditTreeInclusionProofVerify);

void BM_AuditTreeSignTreeHead(benchmark::State& state) {
  baomi::crypto::init();
  const auto key = baomi::crypto::SigningKey::generate();
  audit::TreeHead th{kTrail, std::string(64, 'b'), std::string(64, 'c'), 1'790'000'000'000'000, {}};
  for (auto _ : state) {
    th.signature = baomi::to_hex(key.sign(audit::tree_head_message(th)));
    benchmark::DoNotOptimize(th.signature.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AuditTreeSignTreeHead);

// Root of the stored 1M-entry tree (what each checkpoint computes before signing).
void BM_AuditTreeRootFromStore(benchmark::State& state) {
  auto& t = trail();
  for (auto _ : state) {
    (void)t.store->read([&](storage::ReadTx& tx) -> baomi::Result<void> {
      BAOMI_ASSIGN_OR_RETURN(auto root, audit::stored_root(tx, kTrail));
      benchmark::DoNotOptimize(root);
      return {};
    });
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AuditTreeRootFromStore)->Unit(benchmark::kMicrosecond)->UseRealTime();

// CPU time of the calling thread: the append work runs on the store's writer thread, inside
// the job, so it is timed there, apart from the durable commit that every write pays anyway.
double thread_cpu_us() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

// Appending to the 1M-entry trail in 1,000-entry jobs: the whole append (chain hash, row, tree
// nodes). Counter cpu_us_per_entry is the writer's CPU inside the job, per entry.
void BM_AuditTreeAppendWholeEntry(benchmark::State& state) {
  auto& t = trail();
  std::uint64_t i = 0;
  double cpu_us = 0;
  for (auto _ : state) {
    (void)t.store->write([&](storage::WriteTx& tx) -> baomi::Result<void> {
      const double start = thread_cpu_us();
      for (int k = 0; k < 1000; ++k) {
        BAOMI_TRY(t.log->append(tx, event(i++), baomi::from_micros(1'790'000'000'000'000)));
      }
      cpu_us += thread_cpu_us() - start;
      return {};
    });
  }
  state.counters["cpu_us_per_entry"] = cpu_us / static_cast<double>(state.iterations() * 1000);
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_AuditTreeAppendWholeEntry)->Unit(benchmark::kMillisecond)->UseRealTime();

// The tree's share of each append alone (extend_tree: leaf hash, then per completed subtree one
// read, one node hash, one insert), on the same 1M-entry store, inside the same kind of job.
void BM_AuditTreeAppendTreeOnly(benchmark::State& state) {
  auto& t = trail();
  double cpu_us = 0;
  for (auto _ : state) {
    (void)t.store->write([&](storage::WriteTx& tx) -> baomi::Result<void> {
      BAOMI_ASSIGN_OR_RETURN(auto last, audit::last_audit_entry(tx));
      const double start = thread_cpu_us();
      // Replays the tree growth of the next 1,000 leaves, then undoes it: the store is unchanged.
      audit::RawHash prev = *audit::parse_hash_hex(last->hash), hash{};
      for (std::uint64_t k = 1; k <= 1000; ++k) {
        hash[0] = static_cast<std::uint8_t>(k);
        BAOMI_TRY(audit::extend_tree(tx, last->seq + k, hash, prev));
        prev = hash;
      }
      cpu_us += thread_cpu_us() - start;
      return baomi::Error::conflict("bench", "roll back the replayed nodes");
    });
  }
  state.counters["cpu_us_per_entry"] = cpu_us / static_cast<double>(state.iterations() * 1000);
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_AuditTreeAppendTreeOnly)->Unit(benchmark::kMillisecond)->UseRealTime();

// Verifying the whole stored 1M-entry trail as GET /audit/verify and `baomi audit verify` do
// (chain, checkpoints, tree heads and every stored node), and the same without the node checks.
void BM_AuditTreeVerifyStore(benchmark::State& state) {
  auto& t = trail();
  const bool check_nodes = state.range(0) != 0;
  const auto pk = t.log->public_key();
  for (auto _ : state) {
    (void)t.store->read([&](storage::ReadTx& tx) -> baomi::Result<void> {
      if (check_nodes) {
        BAOMI_ASSIGN_OR_RETURN(auto report, audit::verify_store(tx, pk));
        if (!report.ok) state.SkipWithError("trail did not verify");
        return {};
      }
      audit::ChainVerifier v(pk);
      BAOMI_ASSIGN_OR_RETURN(auto heads, audit::list_tree_heads(tx));
      std::vector<audit::TreeHead> ths;
      for (const auto& h : heads)
        ths.push_back({h.tree_size, h.root_hash, h.head, h.time_us, h.signature});
      v.add_tree_heads(std::move(ths));
      BAOMI_TRY(
          audit::scan_audit(tx, [&](const audit::AuditEntryView& row) { return v.feed(row); }));
      if (!v.finish().ok) state.SkipWithError("trail did not verify");
      return {};
    });
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kTrail));
}
BENCHMARK(BM_AuditTreeVerifyStore)
    ->Arg(1)
    ->Arg(0)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// What verification adds per entry: one leaf hash and, amortised, one node hash.
void BM_AuditTreeFrontierAppend(benchmark::State& state) {
  audit::MerkleFrontier f;
  audit::RawHash h{};
  for (auto _ : state) {
    h[0] = static_cast<std::uint8_t>(f.size());
    f.append(audit::merkle_leaf_hash(h));
  }
  benchmark::DoNotOptimize(f.root());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AuditTreeFrontierAppend);

}  // namespace
