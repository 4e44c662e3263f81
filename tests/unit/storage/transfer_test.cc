// The engine-neutral row copy behind `baomi migrate` (storage/transfer.h), on both engines: the
// fixed tables' declarations match what each engine's schema creates (every one is scanned and
// written through the generic row code), a scan pages through any number of rows in key order,
// table_names lists the schema, and "empty" ignores the database's own meta entries.
#include "storage/transfer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "audit/trail_tables.h"
#include "barrier/engine_tables.h"
#include "crypto/random.h"
#include "storage/engine.h"
#include "storage/meta.h"
#include "support/postgres.h"

namespace baomi::storage {
namespace {

enum class TransferEngine { kSqlite, kPostgres };

const Table& table_named(const std::string& name) {
  for (const auto* t : audit::fixed_tables()) {
    if (t->name == name) return *t;
  }
  throw std::logic_error("no fixed table " + name);
}

class TransferTest : public ::testing::TestWithParam<TransferEngine> {
 protected:
  void SetUp() override {
    if (GetParam() == TransferEngine::kSqlite) {
      dir_ = std::filesystem::temp_directory_path() / ("baomi-transfer-" + crypto::random_id());
      std::filesystem::create_directories(dir_);
      database_ = (dir_ / "baomi.db").string();
    } else {
      BAOMI_POSTGRES_DATABASE_OR_SKIP(database_);
    }
    auto opened = open_store(database_, true);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::move(opened).value();
  }
  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
  std::string database_;
  std::unique_ptr<Store> store_;
};

// One row per fixed table, written and read back through the declarations alone.
TEST_P(TransferTest, EveryFixedTableIsReadAndWrittenThroughItsDeclaration) {
  std::vector<std::pair<const Table*, Row>> rows;
  for (const auto* t : audit::fixed_tables()) {
    Row row;
    for (const auto& c : t->columns) {
      switch (c.type) {
        case ColumnType::kInteger:
          row.emplace_back(std::int64_t{7});
          break;
        case ColumnType::kText:
          row.emplace_back(std::string("text-") + c.name);
          break;
        case ColumnType::kBlob:
          row.emplace_back(Bytes{0, 1, 2, 255});
          break;
      }
    }
    rows.emplace_back(t, std::move(row));
  }
  ASSERT_TRUE(store_
                  ->write([&](WriteTx& tx) -> Result<void> {
                    for (const auto& [t, row] : rows) BAOMI_TRY(tx.insert_row(*t, row));
                    return {};
                  })
                  .ok());
  ASSERT_TRUE(
      store_
          ->read([&](ReadTx& tx) -> Result<void> {
            for (const auto& [t, row] : rows) {
              std::vector<Row> seen;
              BAOMI_TRY(for_each_row(tx, *t, [&](const Row& r) -> Result<void> {
                seen.push_back(r);
                return {};
              }));
              const auto expected =
                  t->name == "meta" ? 2u : 1u;  // meta also holds the schema version
              EXPECT_EQ(seen.size(), GetParam() == TransferEngine::kPostgres ? expected : 1u)
                  << t->name;
              EXPECT_NE(std::find(seen.begin(), seen.end(), row), seen.end()) << t->name;
            }
            BAOMI_ASSIGN_OR_RETURN(auto names, tx.table_names());
            for (const auto* t : audit::fixed_tables()) {
              EXPECT_NE(std::find(names.begin(), names.end(), t->name), names.end()) << t->name;
            }
            EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
            return {};
          })
          .ok());
}

// Chunks page a few rows at a time (bounded memory); every row comes once, in key order.
TEST_P(TransferTest, ScansPageThroughEveryRowInKeyOrder) {
  const Table& chunks = table_named("chunks");
  const std::size_t n = 3 * transfer_page_rows(chunks) + 1;
  ASSERT_TRUE(store_
                  ->write([&](WriteTx& tx) -> Result<void> {
                    for (std::size_t i = 0; i < n; ++i) {
                      BAOMI_TRY(barrier::write_chunk(tx, i % 2 ? "doc-b" : "doc-a", 1, i / 2,
                                                     Bytes(16, static_cast<std::uint8_t>(i))));
                    }
                    return {};
                  })
                  .ok());
  std::vector<Row> seen;
  ASSERT_TRUE(store_
                  ->read([&](ReadTx& tx) {
                    return for_each_row(tx, chunks, [&](const Row& r) -> Result<void> {
                      seen.push_back(Row(r.begin(), r.begin() + 3));
                      return {};
                    });
                  })
                  .ok());
  ASSERT_EQ(seen.size(), n);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_EQ(std::adjacent_find(seen.begin(), seen.end()), seen.end());
  // fn's error stops the scan and is the scan's.
  std::size_t calls = 0;
  auto stopped = store_->read([&](ReadTx& tx) {
    return for_each_row(tx, chunks, [&](const Row&) -> Result<void> {
      return ++calls == 2 ? Result<void>(Error::conflict("stop", "stop")) : Result<void>();
    });
  });
  EXPECT_FALSE(stopped.ok());
  EXPECT_EQ(calls, 2u);
}

TEST_P(TransferTest, EmptyIgnoresTheDatabasesOwnMetaEntries) {
  const auto empty = [&](const std::string& table) {
    bool out = false;
    EXPECT_TRUE(store_
                    ->read([&](ReadTx& tx) -> Result<void> {
                      BAOMI_ASSIGN_OR_RETURN(out, table_is_empty(tx, table_named(table)));
                      return {};
                    })
                    .ok());
    return out;
  };
  ASSERT_TRUE(store_
                  ->write([](WriteTx& tx) {
                    return storage::put_meta(tx, "lease.maintenance", to_bytes("x"));
                  })
                  .ok());
  EXPECT_TRUE(empty("meta"));
  EXPECT_TRUE(empty("audit"));
  ASSERT_TRUE(
      store_->write([](WriteTx& tx) { return storage::put_meta(tx, "instance_id", to_bytes("i")); })
          .ok());
  EXPECT_FALSE(empty("meta"));
  EXPECT_TRUE(is_retired_table("login_failures"));
  EXPECT_FALSE(is_retired_table("users"));
}

INSTANTIATE_TEST_SUITE_P(Engines, TransferTest,
                         ::testing::Values(TransferEngine::kSqlite, TransferEngine::kPostgres),
                         [](const auto& info) {
                           return info.param == TransferEngine::kSqlite ? "Sqlite" : "Postgres";
                         });

}  // namespace
}  // namespace baomi::storage
