// Customer search by phone over N records (C3): bulk-inserts N sealed, blind-indexed records
// in large transactions (the storage fast path), then times M searches through the service
// layer (policy, blind index lookup, unseal, mask, durable audit entry) and, separately, the
// read path alone (lookup, unseal, mask) without the audit write. Prints p50/p99 in
// microseconds as "key value" lines. Usage:
//   baomi_customer_bench [--records N] [--searches M] [--dir DIR]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "auth/accounts.h"
#include "barrier/barrier.h"
#include "crypto/init.h"
#include "crypto/random.h"
#include "policy/policy.h"
#include "services/customers/customers.h"
#include "services/customers/masking.h"
#include "services/record_tables.h"
#include "storage/sqlite/sqlite_store.h"

namespace {

using namespace baomi;
using SteadyClock = std::chrono::steady_clock;

struct Args {
  long records = 1000000;
  int searches = 2000;
  std::filesystem::path dir;
};

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i];
    if (k == "--records") a.records = std::atol(argv[i + 1]);
    if (k == "--searches") a.searches = std::atoi(argv[i + 1]);
    if (k == "--dir") a.dir = argv[i + 1];
  }
  if (a.dir.empty())
    a.dir = std::filesystem::temp_directory_path() / ("baomi-custbench-" + crypto::random_id());
  return a;
}

std::string phone_of(long i) {
  const auto digits = std::to_string(i % 1000000000);
  return "13" + std::string(9 - digits.size(), '0') + digits;  // 13 + nine digits
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

void insert_all(const auth::Runtime& rt, const std::string& creator, long n) {
  constexpr long kBatch = 100000;  // one transaction per batch keeps the WAL bounded
  const auto now = rt.now();
  const services::CustomerRecords records(rt);
  for (long start = 0; start < n; start += kBatch) {
    const long end = std::min(n, start + kBatch);
    auto r = rt.store.write([&](barrier::WriteTx& tx) -> Result<void> {
      for (long i = start; i < end; ++i) {
        services::Customer c;
        c.id = crypto::random_id();
        c.level = policy::Level::kInternal;
        c.fields[static_cast<std::size_t>(policy::CustomerField::kName)] =
            "客户" + std::to_string(i);
        c.fields[static_cast<std::size_t>(policy::CustomerField::kPhone)] = phone_of(i);
        c.created_at = c.updated_at = now;
        c.created_by = creator;
        BAOMI_TRY(records.insert(tx, c));
      }
      // I1: the batch's record writes are committed to by one audit entry.
      BAOMI_TRY(
          rt.audit.append(tx, {creator, "customer.create", "customers", "allow", "C1", "{}"}, now));
      return {};
    });
    if (!r.ok()) {
      std::fprintf(stderr, "insert failed: %s\n", r.error().message.c_str());
      std::exit(1);
    }
    std::fprintf(stderr, "inserted %ld\n", end);
  }
}

// Lookup + unseal + mask without the audit entry: what the read path itself costs.
double read_path_us(const auth::Runtime& rt, const std::string& phone) {
  const auto t0 = SteadyClock::now();
  const services::CustomerRecords records(rt);
  std::vector<services::Customer> rows;
  auto r = rt.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto ids, records.find(tx, policy::CustomerField::kPhone, phone, 50));
    for (const auto& id : ids) {
      BAOMI_ASSIGN_OR_RETURN(auto c, records.get(tx, id));
      if (c) rows.push_back(std::move(*c));
    }
    return {};
  });
  std::size_t masked = 0;
  for (const auto& c : rows) {
    masked += services::customers::mask_field(policy::CustomerField::kPhone,
                                              c.field(policy::CustomerField::kPhone))
                  .size();
  }
  const auto us = std::chrono::duration<double, std::micro>(SteadyClock::now() - t0).count();
  if (!r.ok() || rows.size() != 1 || masked == 0) {
    std::fprintf(stderr, "read path found %zu rows\n", rows.size());
    std::exit(1);
  }
  return us;
}

}  // namespace

int main(int argc, char** argv) {
  const auto args = parse(argc, argv);
  crypto::init();
  std::filesystem::create_directories(args.dir);
  auto store = storage::sqlite::SqliteStore::open(args.dir / "baomi.db", true).value();
  if (auto made = store->ensure_tables(services::declared_tables()); !made.ok()) {
    std::fprintf(stderr, "tables: %s\n", made.error().message.c_str());
    return 1;
  }
  auto master = crypto::SecretKey::generate();
  auto kek = barrier::Keyring::new_kek(master, 1);
  barrier::Barrier barrier(barrier::Keyring::open(std::move(master), {kek}).value());
  policy::PolicyData data;
  data.customers.watch_searches = 1000000000;  // the benchmark is not an anomaly
  policy::Policy policy(std::move(data), "bench");
  audit::AuditLog audit(crypto::SigningKey::generate(), policy.version());
  auth::Runtime rt{*store, barrier, policy, audit, now_utc, crypto::PwhashCost::kMinimum};
  auth::Accounts accounts(rt);
  auto user =
      accounts
          .bootstrap_user({"bench.staff", "bench.staff", "general_cs", "password-123", {"staff"}},
                          policy::Level::kSecret, 0)
          .value();
  user = accounts.accept_pledge(user).value();

  const auto t0 = SteadyClock::now();
  insert_all(rt, user.id, args.records);
  const auto insert_s = std::chrono::duration<double>(SteadyClock::now() - t0).count();

  services::Customers customers(rt);
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<long> pick(0, args.records - 1);
  std::vector<double> service_us, read_us;
  for (int i = 0; i < args.searches; ++i) {
    const auto phone = phone_of(pick(rng));
    const auto s0 = SteadyClock::now();
    auto hits = customers.search(user, "phone", phone);
    service_us.push_back(
        std::chrono::duration<double, std::micro>(SteadyClock::now() - s0).count());
    if (!hits.ok() || hits->size() != 1) {
      std::fprintf(stderr, "search failed\n");
      return 1;
    }
    read_us.push_back(read_path_us(rt, phone));
  }
  std::printf("customer_records %ld\n", args.records);
  std::printf("customer_insert_seconds %.1f\n", insert_s);
  std::printf("customer_searches %d\n", args.searches);
  std::printf("customer_search_service_p50_us %.0f\n", percentile(service_us, 0.50));
  std::printf("customer_search_service_p99_us %.0f\n", percentile(service_us, 0.99));
  std::printf("customer_search_read_path_p50_us %.0f\n", percentile(read_us, 0.50));
  std::printf("customer_search_read_path_p99_us %.0f\n", percentile(read_us, 0.99));
  store.reset();
  std::error_code ec;
  std::filesystem::remove_all(args.dir, ec);
  return 0;
}
