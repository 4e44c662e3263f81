// A real Runtime over a temporary SQLite instance, for tests of auth and services.
// The clock is controllable (`now`), so time-dependent rules are tested without sleeping.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <random>

#include "audit/audit_log.h"
#include "audit/trail_tables.h"
#include "auth/accounts.h"
#include "auth/runtime.h"
#include "barrier/barrier.h"
#include "crypto/random.h"
#include "policy/policy.h"
#include "storage/sqlite/sqlite_store.h"

namespace baomi::testing {

class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() / ("baomi-test-" + crypto::random_id());
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The declared record tables of the layers a test binary links (defined once per binary:
// tests/unit/<layer>/record_tables_under_test.cc).
std::vector<const storage::Table*> record_tables_under_test();

class TestRuntime {
 public:
  explicit TestRuntime(policy::PolicyData data = {}) : policy_(std::move(data), "test-policy") {
    store_ = storage::sqlite::SqliteStore::open(dir_.path() / "baomi.db", true).value();
    EXPECT_TRUE(store_->ensure_tables(record_tables_under_test()).ok());
    master_ = crypto::SecretKey::generate();
    kek_ = barrier::Keyring::new_kek(master_, 1);
    barrier_ = std::make_unique<barrier::Barrier>(keyring());
    audit_ = std::make_unique<audit::AuditLog>(signing_.clone_for_test(), policy_.version(),
                                               audit::AuditOptions{10});
    rt_ = std::make_unique<auth::Runtime>(auth::Runtime{*store_, *barrier_, policy_, *audit_,
                                                        [this] { return now; },
                                                        crypto::PwhashCost::kMinimum});
  }

  const auth::Runtime& rt() const { return *rt_; }
  storage::sqlite::SqliteStore& store() { return *store_; }
  // The store as services see it (barrier transactions).
  barrier::SealedStore sealed() { return *store_; }
  const policy::Policy& policy() const { return policy_; }
  const std::filesystem::path& dir() const { return dir_.path(); }
  Bytes public_key() const { return audit_->public_key(); }
  void set_audit_observer(const audit::AuditObserver* observer) { audit_->set_observer(observer); }

  // Creates an account directly (as `baomi init` does), with a cheap password hash.
  auth::User user(const std::string& username, policy::Role role, policy::Level clearance,
                  policy::CategorySet categories = 0, bool pledge = true) {
    auth::Accounts accounts(*rt_);
    auth::NewUser nu{username,
                     username,
                     "general_cs",
                     "password-123",
                     {std::string(policy::role_api_name(role))}};
    auto u = accounts.bootstrap_user(nu, clearance, categories);
    EXPECT_TRUE(u.ok()) << (u.ok() ? "" : u.error().message);
    if (pledge) u = accounts.accept_pledge(*u);
    return *u;
  }

  std::vector<audit::AuditRow> audit_rows() {
    std::vector<audit::AuditRow> rows;
    EXPECT_TRUE(store_
                    ->read([&](storage::ReadTx& tx) -> Result<void> {
                      return audit::scan_audit(tx, [&](const audit::AuditEntryView& r) {
                        rows.push_back({r.seq, r.time_us, std::string(r.actor),
                                        std::string(r.action), std::string(r.target),
                                        std::string(r.decision), std::string(r.rule),
                                        std::string(r.policy_version), std::string(r.detail),
                                        std::string(r.prev_hash), std::string(r.hash)});
                        return true;
                      });
                    })
                    .ok());
    return rows;
  }

  audit::VerifyReport verify() { return verify_store_with({}); }
  // verify(), and the stored records of this binary's declared tables against the record
  // ledger (I1: a replayed or restored row is named).
  audit::VerifyReport verify_with_records() {
    return verify_store_with(record_tables_under_test());
  }

  TimePoint now = parse_rfc3339("2026-11-25T09:00:00Z").value();

  // The instance's keyring, opened afresh (what another server process on it would hold).
  barrier::Keyring keyring() const {
    return barrier::Keyring::open(master_.clone(), {kek_}).value();
  }
  crypto::SigningKey signing_key() const { return signing_.clone_for_test(); }

 private:
  audit::VerifyReport verify_store_with(const std::vector<const storage::Table*>& tables) {
    std::optional<audit::VerifyReport> report;
    EXPECT_TRUE(store_
                    ->read([&](storage::ReadTx& tx) -> Result<void> {
                      BAOMI_ASSIGN_OR_RETURN(report, audit::verify_store(tx, public_key(), tables));
                      return {};
                    })
                    .ok());
    return *report;
  }

  struct Signing {
    crypto::SigningKey key = crypto::SigningKey::generate();
    crypto::SigningKey clone_for_test() const {
      return crypto::SigningKey::from_seed(key.seed()).value();
    }
  };
  TempDir dir_;
  policy::Policy policy_;
  Signing signing_;
  crypto::SecretKey master_ = crypto::SecretKey::generate();
  barrier::KekRecord kek_;
  std::unique_ptr<storage::sqlite::SqliteStore> store_;
  std::unique_ptr<barrier::Barrier> barrier_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<auth::Runtime> rt_;
};

// Another server process on the same instance as `first`: its own store connections and its
// own barrier (so its own record cache) over the same database and keys, with the same policy,
// signer and clock. What it writes, `first` must see at its next read (several instances).
class SecondProcess {
 public:
  explicit SecondProcess(TestRuntime& first) {
    store_ = storage::sqlite::SqliteStore::open(first.dir() / "baomi.db", false).value();
    barrier_ = std::make_unique<barrier::Barrier>(first.keyring());
    audit_ = std::make_unique<audit::AuditLog>(first.signing_key(), first.policy().version(),
                                               audit::AuditOptions{10});
    rt_ = std::make_unique<auth::Runtime>(auth::Runtime{*store_, *barrier_, first.policy(), *audit_,
                                                        [&first] { return first.now; },
                                                        crypto::PwhashCost::kMinimum});
  }
  const auth::Runtime& rt() const { return *rt_; }
  barrier::SealedStore sealed() { return *store_; }
  void set_audit_observer(const audit::AuditObserver* observer) { audit_->set_observer(observer); }

 private:
  std::unique_ptr<storage::sqlite::SqliteStore> store_;
  std::unique_ptr<barrier::Barrier> barrier_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<auth::Runtime> rt_;
};

inline policy::CategorySet cats(const policy::Policy& p, std::initializer_list<const char*> names) {
  policy::CategorySet set = 0;
  for (const char* n : names) set |= policy::category_bit(p.category_index(n).value());
  return set;
}

}  // namespace baomi::testing
