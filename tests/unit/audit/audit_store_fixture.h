// A real SQLite store with an AuditLog over it, for the tests of the stored Merkle tree and of
// evidence bundles. Not thread-safe (tests only).
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

#include "audit/audit_log.h"
#include "crypto/random.h"
#include "storage/sqlite/sqlite_store.h"

namespace baomi::audit::testing {

inline crypto::SigningKey fixture_key() {
  Bytes seed(32);
  for (std::size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<std::uint8_t>(i);
  return crypto::SigningKey::from_seed(seed).value();
}

class AuditStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("baomi-audit-" + crypto::random_id());
    std::filesystem::create_directories(dir_);
    store_ = storage::sqlite::SqliteStore::open(dir_ / "baomi.db", true).value();
    log_ = std::make_unique<AuditLog>(fixture_key(), "7d9a0c5e11b4", AuditOptions{16});
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Appends entries until the trail holds `n`; one group-committed job per `batch` entries.
  void grow_to(std::uint64_t n, std::uint64_t batch = 1) {
    while (size_ < n) {
      const std::uint64_t count = std::min(batch, n - size_);
      ASSERT_TRUE(store_
                      ->write([&](storage::WriteTx& tx) -> Result<void> {
                        for (std::uint64_t i = 0; i < count; ++i) {
                          const auto seq = size_ + i + 1;
                          BAOMI_TRY(log_->append(tx, event(seq), at(seq)));
                        }
                        return {};
                      })
                      .ok());
      size_ += count;
    }
  }
  static AuditEvent event(std::uint64_t seq) {
    return {"u-" + std::to_string(1000 + seq % 13),
            seq % 2 ? "document.read_content" : "user.update",
            "document:d-" + std::to_string(seq),
            seq % 5 ? "allow" : "deny",
            seq % 5 ? "" : "S6",
            "{\"n\":" + std::to_string(seq) + "}"};
  }
  static TimePoint at(std::uint64_t seq) {
    return from_micros(1'700'000'000'000'000 + static_cast<std::int64_t>(seq) * 1000);
  }
  void checkpoint_now() {
    ASSERT_TRUE(store_
                    ->write([&](storage::WriteTx& tx) -> Result<void> {
                      return log_->checkpoint(tx, at(size_ + 1));
                    })
                    .ok());
  }
  template <typename T, typename F>
  T read(F f) {
    std::optional<T> out;
    auto r = store_->read([&](storage::ReadTx& tx) -> Result<void> {
      out.emplace(f(tx));
      return {};
    });
    EXPECT_TRUE(r.ok());
    return std::move(*out);
  }

  std::filesystem::path dir_;
  std::unique_ptr<storage::sqlite::SqliteStore> store_;
  std::unique_ptr<AuditLog> log_;
  std::uint64_t size_ = 0;
};

}  // namespace baomi::audit::testing
