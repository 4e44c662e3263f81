// Slip-creation rate: Handovers::create end to end against a real SQLite store (WAL, durable
// group commit): policy decision, validation, content hash, sealing under a new data key, the
// slip row, its version and two department copies with row MACs, and the audit entry, then the
// read-back of the created slip. Single-threaded, so each iteration waits for its own commit.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <memory>

#include "auth/accounts.h"
#include "crypto/init.h"
#include "crypto/random.h"
#include "services/handovers/handovers.h"
#include "services/record_tables.h"
#include "storage/sqlite/sqlite_store.h"

namespace {

namespace fs = std::filesystem;
using namespace baomi;

struct SlipBench {
  SlipBench() : policy(policy::PolicyData{}, "bench") {
    crypto::init();
    dir = fs::temp_directory_path() / ("baomi-bench-" + crypto::random_id());
    fs::create_directories(dir);
    store = storage::sqlite::SqliteStore::open(dir / "baomi.db", true).value();
    (void)store->ensure_tables(services::record_tables());
    auto master = crypto::SecretKey::generate();
    auto kek = barrier::Keyring::new_kek(master, 1);
    barrier = std::make_unique<barrier::Barrier>(
        barrier::Keyring::open(std::move(master), {kek}).value());
    audit = std::make_unique<audit::AuditLog>(crypto::SigningKey::generate(), policy.version());
    rt = std::make_unique<auth::Runtime>(
        auth::Runtime{*store, *barrier, policy, *audit, now_utc, crypto::PwhashCost::kMinimum});
    auth::Accounts accounts(*rt);
    auth::NewUser nu{"bench.author", "bench", "general_cs", "password-123", {"staff"}};
    author = accounts.accept_pledge(accounts.bootstrap_user(nu, policy::Level::kSecret, 0).value())
                 .value();
    handovers = std::make_unique<services::Handovers>(*rt);
  }
  ~SlipBench() {
    handovers.reset();
    store.reset();
    std::error_code ec;
    fs::remove_all(dir, ec);
  }

  fs::path dir;
  policy::Policy policy;
  std::unique_ptr<storage::sqlite::SqliteStore> store;
  std::unique_ptr<barrier::Barrier> barrier;
  std::unique_ptr<audit::AuditLog> audit;
  std::unique_ptr<auth::Runtime> rt;
  auth::User author;
  std::unique_ptr<services::Handovers> handovers;
};

void BM_HandoverCreate(benchmark::State& state) {
  SlipBench b;
  services::NewSlip spec;
  spec.shift = "day";
  for (int i = 0; i < 3; ++i) {
    spec.items.push_back({"回访客户，核对退款进度 " + std::to_string(i),
                          "customer-" + std::to_string(i), services::Priority::kNormal,
                          std::nullopt});
  }
  spec.notes = "交接备注";
  for (auto _ : state) {
    auto slip = b.handovers->create(b.author, spec);
    if (!slip.ok()) {
      state.SkipWithError(slip.error().message.c_str());
      break;
    }
    benchmark::DoNotOptimize(slip->slip.id);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HandoverCreate)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace
