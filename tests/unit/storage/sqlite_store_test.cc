// SqliteStore: group commit, per-job savepoints, fail-closed commits, content chunks.
#include "storage/sqlite/sqlite_store.h"

#include <gtest/gtest.h>

#include <thread>

#include "crypto/random.h"

namespace baomi::storage {
namespace {

// A declared table as the record layer would give the engine: the `users` that documents
// reference, reduced to a key and a unique index.
const Table& users_table() {
  static const Table table{"users",
                           {{"id", ColumnType::kText, false},
                            {"username_index", ColumnType::kText, false},
                            {"pledge_at", ColumnType::kInteger, true},
                            {"photo", ColumnType::kBlob, true}},
                           1,
                           {{"users_username", {"username_index"}, true, ""}}};
  return table;
}

Result<void> insert_user(WriteTx& tx, const std::string& id, const std::string& index) {
  return tx.insert_row(users_table(), {id, index, std::monostate{}, std::monostate{}});
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("baomi-store-" + crypto::random_id());
    std::filesystem::create_directories(dir_);
    store_ = sqlite::SqliteStore::open(dir_ / "baomi.db", true).value();
    ASSERT_TRUE(store_->ensure_tables({&users_table()}).ok());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  Result<std::optional<Bytes>> meta(const std::string& key) {
    std::optional<Bytes> v;
    auto r = store_->read([&](ReadTx& tx) -> Result<void> {
      BAOMI_ASSIGN_OR_RETURN(v, tx.get_meta(key));
      return {};
    });
    if (!r.ok()) return r.take_error();
    return v;
  }
  std::filesystem::path dir_;
  std::unique_ptr<sqlite::SqliteStore> store_;
};

TEST_F(StoreTest, WriteIsVisibleToLaterReads) {
  ASSERT_TRUE(store_->write([](WriteTx& tx) { return tx.put_meta("k", to_bytes("v")); }).ok());
  auto v = meta("k");
  ASSERT_TRUE(v.ok());
  ASSERT_TRUE(v->has_value());
  EXPECT_EQ(to_string(**v), "v");
}

TEST_F(StoreTest, FailingJobRollsBackAloneInItsSavepoint) {
  auto r = store_->write([](WriteTx& tx) -> Result<void> {
    BAOMI_TRY(tx.put_meta("half", to_bytes("written")));
    return Error::conflict("nope", "the job changed its mind");
  });
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "nope");
  EXPECT_FALSE(meta("half")->has_value()) << "a failed job must leave nothing behind";
  EXPECT_TRUE(store_->write([](WriteTx& tx) { return tx.put_meta("after", to_bytes("x")); }).ok());
  EXPECT_TRUE(meta("after")->has_value());
}

TEST_F(StoreTest, ConcurrentJobsAllCommitAndOneFailureDoesNotSpoilOthers) {
  constexpr int kThreads = 16, kPerThread = 50;
  std::atomic<int> ok{0}, failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const bool fail = i % 10 == 0;
        auto r = store_->write([&](WriteTx& tx) -> Result<void> {
          BAOMI_TRY(tx.put_meta("k" + std::to_string(t) + "-" + std::to_string(i), to_bytes("v")));
          if (fail) return Error::conflict("fail", "deliberate");
          return {};
        });
        (r.ok() ? ok : failed)++;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), kThreads * kPerThread * 9 / 10);
  EXPECT_EQ(failed.load(), kThreads * kPerThread / 10);
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kPerThread; ++i) {
      EXPECT_EQ(meta("k" + std::to_string(t) + "-" + std::to_string(i))->has_value(), i % 10 != 0);
    }
  }
}

TEST_F(StoreTest, AuditInsertFailureIsUnavailable) {
  // Fail closed: when the audit table cannot take a row, the error says so (503 upstream).
  ASSERT_TRUE(store_
                  ->write([](WriteTx& tx) -> Result<void> {
                    AuditRow row;
                    row.seq = 1;
                    return tx.insert_audit(row);
                  })
                  .ok());
  auto r = store_->write([](WriteTx& tx) -> Result<void> {
    AuditRow row;
    row.seq = 1;  // duplicate seq: the insert fails
    return tx.insert_audit(row);
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kUnavailable);
}

// Content chunks are blobs of the engine: written once, read back, removed per version.
TEST_F(StoreTest, ChunksAreWrittenOnceAndRemovedPerVersion) {
  ASSERT_TRUE(store_
                  ->write([&](WriteTx& tx) -> Result<void> {
                    BAOMI_TRY(tx.write_chunk("d1", 1, 0, to_bytes("one-0")));
                    BAOMI_TRY(tx.write_chunk("d1", 1, 1, to_bytes("one-1")));
                    return tx.write_chunk("d1", 2, 0, to_bytes("two-0"));
                  })
                  .ok());
  auto again = store_->write(
      [&](WriteTx& tx) -> Result<void> { return tx.write_chunk("d1", 1, 0, to_bytes("x")); });
  EXPECT_FALSE(again.ok()) << "a chunk is written once";
  ASSERT_TRUE(store_
                  ->write([&](WriteTx& tx) -> Result<void> {
                    BAOMI_TRY(tx.delete_chunks("d1", 1));
                    return tx.delete_chunks("d1", 7);  // none: fine
                  })
                  .ok());
  ASSERT_TRUE(store_
                  ->read([&](ReadTx& tx) -> Result<void> {
                    Bytes out;
                    auto r = tx.read_chunk("d1", 1, 0, out);
                    EXPECT_FALSE(r.ok()) << "the chunks of a removed version are gone";
                    if (!r.ok()) {
                      EXPECT_EQ(r.error().kind, ErrorKind::kIntegrity);
                    }
                    BAOMI_TRY(tx.read_chunk("d1", 2, 0, out));
                    EXPECT_EQ(out, to_bytes("two-0")) << "other versions keep theirs";
                    return {};
                  })
                  .ok());
}

// Issue 16: a killed upload's chunks are purged, and the space they held goes back to the file
// system (incremental auto-vacuum), instead of staying in the file until reused.
TEST_F(StoreTest, PurgedUploadsGiveTheirPagesBack) {
  ASSERT_TRUE(store_
                  ->write([&](WriteTx& tx) -> Result<void> {
                    const Bytes chunk(256 * 1024, 0x5a);
                    for (std::uint64_t i = 0; i < 16; ++i)
                      BAOMI_TRY(tx.write_chunk("d1", 1, i, chunk));
                    return {};
                  })
                  .ok());
  const auto free_pages = [&] {
    std::size_t n = 0;
    EXPECT_TRUE(store_
                    ->read([&](ReadTx& tx) -> Result<void> {
                      BAOMI_ASSIGN_OR_RETURN(n, tx.free_pages());
                      return {};
                    })
                    .ok());
    return n;
  };
  ASSERT_TRUE(store_
                  ->write([](WriteTx& tx) -> Result<void> { return tx.delete_chunks("d1", 1); })
                  .ok());
  const auto freed = free_pages();
  EXPECT_GT(freed, 900u) << "4 MiB of chunks freed about 1000 pages";
  std::size_t reclaimed = 0;
  ASSERT_TRUE(store_
                  ->write([&](WriteTx& tx) -> Result<void> {
                    BAOMI_ASSIGN_OR_RETURN(reclaimed, tx.reclaim_free_pages(100));
                    return {};
                  })
                  .ok());
  EXPECT_EQ(reclaimed, 100u) << "bounded per call";
  ASSERT_TRUE(store_
                  ->write([&](WriteTx& tx) -> Result<void> {
                    BAOMI_ASSIGN_OR_RETURN(reclaimed, tx.reclaim_free_pages(1'000'000));
                    return {};
                  })
                  .ok());
  EXPECT_EQ(reclaimed, freed - 100);
  EXPECT_EQ(free_pages(), 0u);
}

TEST_F(StoreTest, DuplicateKeyOrUniqueIndexIsConflict) {
  ASSERT_TRUE(store_->write([&](WriteTx& tx) { return insert_user(tx, "a", "same"); }).ok());
  for (const auto& [id, index] : {std::pair{"b", "same"}, std::pair{"a", "other"}}) {
    auto r = store_->write([&](WriteTx& tx) { return insert_user(tx, id, index); });
    ASSERT_FALSE(r.ok()) << id;
    EXPECT_EQ(r.error().kind, ErrorKind::kConflict);
  }
}

// The generic rows the sealed-record layer stores: typed values (NULL, integer, text, bytes)
// round-trip, scans filter, order and limit, updates honour their expectation.
TEST_F(StoreTest, DeclaredRowsRoundTripScanUpdateAndDelete) {
  const auto& t = users_table();
  ASSERT_TRUE(store_
                  ->write([&](WriteTx& tx) -> Result<void> {
                    for (int i = 0; i < 5; ++i) {
                      BAOMI_TRY(tx.insert_row(t, {"u" + std::to_string(i), "i" + std::to_string(i),
                                                  std::int64_t{i * 10}, Bytes{0, 1, 2}}));
                    }
                    return {};
                  })
                  .ok());
  ASSERT_TRUE(store_
                  ->read([&](ReadTx& tx) -> Result<void> {
                    BAOMI_ASSIGN_OR_RETURN(auto row, tx.get_row(t, {std::string("u3")}));
                    EXPECT_TRUE(row.has_value());
                    if (!row) return {};
                    EXPECT_EQ(std::get<std::int64_t>((*row)[2]), 30);
                    EXPECT_EQ(std::get<Bytes>((*row)[3]), (Bytes{0, 1, 2}));
                    Scan scan;
                    scan.where = {{"pledge_at", Compare::kGreater, std::int64_t{10}},
                                  {"id", Compare::kLess, std::string("u4")}};
                    scan.order_by = {"id"};
                    scan.limit = 1;
                    BAOMI_ASSIGN_OR_RETURN(auto rows, tx.scan_rows(t, scan));
                    EXPECT_EQ(rows.size(), 1u);
                    if (!rows.empty()) {
                      EXPECT_EQ(std::get<std::string>(rows[0][0]), "u2");
                    }
                    return {};
                  })
                  .ok());
  const Row changed{std::string("u3"), std::string("i3"), std::monostate{}, std::monostate{}};
  auto stale = store_->write([&](WriteTx& tx) {
    return tx.update_row(t, changed, Condition{"pledge_at", Compare::kEqual, std::int64_t{99}});
  });
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().kind, ErrorKind::kConflict);
  ASSERT_TRUE(store_
                  ->write([&](WriteTx& tx) {
                    return tx.update_row(t, changed,
                                         Condition{"pledge_at", Compare::kEqual, std::int64_t{30}});
                  })
                  .ok());
  auto missing = store_->write([&](WriteTx& tx) {
    return tx.update_row(t,
                         {std::string("u9"), std::string("i9"), std::monostate{}, std::monostate{}},
                         std::nullopt);
  });
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::kNotFound);
  ASSERT_TRUE(
      store_->write([&](WriteTx& tx) { return tx.delete_row(t, {std::string("u3")}); }).ok());
  ASSERT_TRUE(store_
                  ->read([&](ReadTx& tx) -> Result<void> {
                    BAOMI_ASSIGN_OR_RETURN(auto row, tx.get_row(t, {std::string("u3")}));
                    EXPECT_FALSE(row.has_value());
                    return {};
                  })
                  .ok());
  auto again = store_->write([&](WriteTx& tx) { return tx.delete_row(t, {std::string("u3")}); });
  EXPECT_EQ(again.error().kind, ErrorKind::kNotFound);
}

TEST_F(StoreTest, AuditQueryFiltersAndPages) {
  ASSERT_TRUE(store_
                  ->write([](WriteTx& tx) -> Result<void> {
                    for (std::uint64_t i = 1; i <= 30; ++i) {
                      AuditRow row;
                      row.seq = i;
                      row.time_us = static_cast<std::int64_t>(i) * 1000;
                      row.actor = i % 2 ? "alice" : "bob";
                      row.action = i % 3 ? "document.read_content" : "session.create";
                      row.target = "document:" + std::to_string(i % 5);
                      BAOMI_TRY(tx.insert_audit(row));
                    }
                    return {};
                  })
                  .ok());
  AuditQuery q;
  q.actor = "alice";
  q.action = "session.create";
  q.limit = 100;
  std::vector<AuditRow> rows;
  ASSERT_TRUE(store_
                  ->read([&](ReadTx& tx) -> Result<void> {
                    BAOMI_ASSIGN_OR_RETURN(rows, tx.query_audit(q));
                    return {};
                  })
                  .ok());
  ASSERT_EQ(rows.size(), 5u);  // odd multiples of 3 up to 30: 3, 9, 15, 21, 27
  for (const auto& r : rows) EXPECT_TRUE(r.actor == "alice" && r.action == "session.create");
  q = AuditQuery{};
  q.from_us = 10000;
  q.to_us = 20000;
  q.after_seq = 12;
  q.limit = 3;
  ASSERT_TRUE(store_
                  ->read([&](ReadTx& tx) -> Result<void> {
                    BAOMI_ASSIGN_OR_RETURN(rows, tx.query_audit(q));
                    return {};
                  })
                  .ok());
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].seq, 13u);
  EXPECT_EQ(rows[2].seq, 15u);
}

TEST_F(StoreTest, ReopenKeepsCommittedData) {
  ASSERT_TRUE(
      store_->write([](WriteTx& tx) { return tx.put_meta("durable", to_bytes("yes")); }).ok());
  store_.reset();
  store_ = sqlite::SqliteStore::open(dir_ / "baomi.db", false).value();
  EXPECT_TRUE(meta("durable")->has_value());
}

TEST_F(StoreTest, OpenWithoutCreateFailsForMissingFile) {
  auto r = sqlite::SqliteStore::open(dir_ / "missing.db", false);
  EXPECT_FALSE(r.ok());
}

}  // namespace
}  // namespace baomi::storage
