// SqliteStore: group commit, per-job savepoints, fail-closed commits, content chunks.
#include "storage/sqlite/sqlite_store.h"

#include <gtest/gtest.h>

#include <thread>

#include "barrier/engine_tables.h"
#include "crypto/random.h"
#include "storage/chunks.h"
#include "storage/meta.h"

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
      BAOMI_ASSIGN_OR_RETURN(v, storage::get_meta(tx, key));
      return {};
    });
    if (!r.ok()) return r.take_error();
    return v;
  }
  std::filesystem::path dir_;
  std::unique_ptr<sqlite::SqliteStore> store_;
};

// Content chunks are blobs of the engine: written once, read back, removed per version.
TEST_F(StoreTest, ChunksAreWrittenOnceAndRemovedPerVersion) {
  ASSERT_TRUE(store_
                  ->write([&](WriteTx& tx) -> Result<void> {
                    BAOMI_TRY(barrier::write_chunk(tx, "d1", 1, 0, to_bytes("one-0")));
                    BAOMI_TRY(barrier::write_chunk(tx, "d1", 1, 1, to_bytes("one-1")));
                    return barrier::write_chunk(tx, "d1", 2, 0, to_bytes("two-0"));
                  })
                  .ok());
  auto again = store_->write([&](WriteTx& tx) -> Result<void> {
    return barrier::write_chunk(tx, "d1", 1, 0, to_bytes("x"));
  });
  EXPECT_FALSE(again.ok()) << "a chunk is written once";
  ASSERT_TRUE(store_
                  ->write([&](WriteTx& tx) -> Result<void> {
                    BAOMI_TRY(barrier::delete_chunks(tx, "d1", 1));
                    return barrier::delete_chunks(tx, "d1", 7);  // none: fine
                  })
                  .ok());
  ASSERT_TRUE(store_
                  ->read([&](ReadTx& tx) -> Result<void> {
                    Bytes out;
                    auto r = barrier::read_chunk(tx, "d1", 1, 0, out);
                    EXPECT_FALSE(r.ok()) << "the chunks of a removed version are gone";
                    if (!r.ok()) {
                      EXPECT_EQ(r.error().kind, ErrorKind::kIntegrity);
                    }
                    BAOMI_TRY(barrier::read_chunk(tx, "d1", 2, 0, out));
                    EXPECT_EQ(out, to_bytes("two-0")) << "other versions keep theirs";
                    return {};
                  })
                  .ok());
}

// Issue 16: a killed upload's chunks are purged, and the space they held goes back to the file
// system (incremental auto-vacuum), instead of staying in the file until reused. Since issue 14
// new chunks are files (chunk_files_test.cc); deleted rows of any table, and the chunks rows of
// an instance from before it, still free pages like this.
TEST_F(StoreTest, PurgedUploadsGiveTheirPagesBack) {
  ASSERT_TRUE(store_
                  ->write([&](WriteTx& tx) -> Result<void> {
                    const Bytes chunk(256 * 1024, 0x5a);
                    for (std::uint64_t i = 0; i < 16; ++i)
                      BAOMI_TRY(write_table_chunk(tx, "d1", 1, i, chunk));
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
  ASSERT_TRUE(
      store_->write([](WriteTx& tx) -> Result<void> { return delete_table_chunks(tx, "d1", 1); })
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

// Issue 14: the write-ahead log is moved into the database file by the checkpointer's own
// thread, not inside the writer's COMMIT; committed pages reach the file while the store is
// open, and everything reads back after a reopen.
TEST_F(StoreTest, TheLogIsCheckpointedIntoTheFileOffTheWriterThread) {
  const auto db_file = dir_ / "baomi.db";
  const auto size_before = std::filesystem::file_size(db_file);
  const Bytes chunk(256 * 1024, 0x3c);
  for (std::uint64_t batch = 0; batch < 4; ++batch) {  // 8 MiB: past the wake threshold twice
    ASSERT_TRUE(store_
                    ->write([&](WriteTx& tx) -> Result<void> {
                      for (std::uint64_t i = 0; i < 8; ++i)
                        BAOMI_TRY(write_table_chunk(tx, "d1", 1, batch * 8 + i, chunk));
                      return {};
                    })
                    .ok());
  }
  // Bounded wait for the checkpointer (a loaded machine may be slow to schedule it).
  for (int i = 0; i < 600 && std::filesystem::file_size(db_file) < size_before + 8 * 1024 * 1024;
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_GE(std::filesystem::file_size(db_file), size_before + 8 * 1024 * 1024)
      << "the committed chunks were copied from the log into the database file";
  EXPECT_GE(store_->wal_checkpoints(), 1u);
  // A long stream of writes (an upload) must not grow the log without bound while the
  // checkpointer copies behind the writer.
  for (std::uint64_t batch = 4; batch < 64; ++batch) {
    ASSERT_TRUE(store_
                    ->write([&](WriteTx& tx) -> Result<void> {
                      for (std::uint64_t i = 0; i < 4; ++i)
                        BAOMI_TRY(write_table_chunk(tx, "d2", 1, batch * 4 + i, chunk));
                      return {};
                    })
                    .ok());
  }
  // 60 MiB went through; the writer finishes a checkpoint past 16 MiB of log (kBackstopPages).
  EXPECT_LE(std::filesystem::file_size(dir_ / "baomi.db-wal"), 24u * 1024 * 1024);
  store_.reset();
  store_ = sqlite::SqliteStore::open(db_file, false).value();
  Bytes got;
  ASSERT_TRUE(store_
                  ->read([&](ReadTx& tx) -> Result<void> {
                    return barrier::read_chunk(tx, "d1", 1, 31, got);
                  })
                  .ok());
  EXPECT_EQ(got, chunk);
}

TEST_F(StoreTest, OpenWithoutCreateFailsForMissingFile) {
  auto r = sqlite::SqliteStore::open(dir_ / "missing.db", false);
  EXPECT_FALSE(r.ok());
}

}  // namespace
}  // namespace baomi::storage
