// The SQLite engine's content chunks in files beside the database (issue 14,
// storage/sqlite/chunk_files.h): written once and read back by offset, removed only after the
// commit that drops their index, failures and crash leftovers swept, chunks of older instances
// (rows of the chunks table) still read, and a backup's snapshot that carries the files' bytes.
// Authentication of what a file holds is the barrier's (content_stream_test: tampered files).
#include "storage/sqlite/chunk_files.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "crypto/random.h"
#include "storage/chunks.h"
#include "storage/sqlite/snapshot.h"
#include "storage/sqlite/sqlite_store.h"
#include "storage/transfer.h"

namespace baomi::storage {
namespace {

namespace fs = std::filesystem;

Bytes chunk_of(std::size_t size, std::uint8_t fill) { return Bytes(size, fill); }

class ChunkFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("baomi-chunkfiles-" + crypto::random_id());
    fs::create_directories(dir_);
    store_ = sqlite::SqliteStore::open(db(), true).value();
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }
  fs::path db() const { return dir_ / "baomi.db"; }
  fs::path chunk_dir() const { return dir_ / "baomi.db-chunks"; }
  fs::path file_of(const std::string& doc, std::uint64_t v) const {
    return chunk_dir() / sqlite::ChunkFiles::file_name(doc, v);
  }
  Result<void> put(const std::string& doc, std::uint64_t v, std::uint64_t first,
                   const std::vector<Bytes>& chunks) {
    return store_->write([&](WriteTx& tx) -> Result<void> {
      for (std::size_t i = 0; i < chunks.size(); ++i) {
        BAOMI_TRY(tx.write_chunk(doc, v, first + i, chunks[i]));
      }
      return {};
    });
  }
  Result<Bytes> get(const std::string& doc, std::uint64_t v, std::uint64_t index) {
    Bytes out;
    BAOMI_TRY(store_->read(
        [&](ReadTx& tx) -> Result<void> { return tx.read_chunk(doc, v, index, out); }));
    return out;
  }
  std::int64_t count(const char* sql) {
    auto d = sqlite::Db::open(db(), false);
    EXPECT_TRUE(d.ok());
    auto s = d->prepare(sql);
    EXPECT_TRUE(s.ok());
    auto row = s->step();
    EXPECT_TRUE(row.ok() && *row);
    return s->int64(0);
  }

  fs::path dir_;
  std::unique_ptr<sqlite::SqliteStore> store_;
};

TEST(ChunkFileNames, AreOpaqueAndParseBack) {
  const auto name = sqlite::ChunkFiles::file_name("abc2/7", 12);
  EXPECT_EQ(name, "616263322f37-12") << "hex of the id: nothing but [0-9a-f-] in a file name";
  auto back = sqlite::ChunkFiles::parse_name(name);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->document_id, "abc2/7");
  EXPECT_EQ(back->version, 12u);
  for (const char* bad : {".guard", "61-", "-1", "6-1", "6g-1", "61-1x", "61-01", "616"}) {
    EXPECT_FALSE(sqlite::ChunkFiles::parse_name(bad)) << bad;
  }
}

// The bytes go to one file per version beside the database, the index into chunk_files; the
// database holds no chunk bytes; reads come back by offset, after a reopen too.
TEST_F(ChunkFilesTest, ChunksGoToAFilePerVersionAndReadBackByOffset) {
  const Bytes a = chunk_of(256 * 1024 + 16, 0xa1), b = chunk_of(256 * 1024 + 16, 0xb2),
              c = chunk_of(99, 0xc3);
  ASSERT_TRUE(put("d1", 1, 0, {a, b}).ok());
  ASSERT_TRUE(put("d1", 1, 2, {c}).ok());  // a second batch appends to the same file
  ASSERT_TRUE(put("d1", 2, 0, {c}).ok());
  EXPECT_EQ(fs::file_size(file_of("d1", 1)), a.size() + b.size() + c.size());
  EXPECT_EQ(fs::file_size(file_of("d1", 2)), c.size());
  EXPECT_EQ(count("SELECT count(*) FROM chunks"), 0) << "no chunk bytes in the database";
  EXPECT_EQ(count("SELECT count(*) FROM chunk_files"), 4);
  EXPECT_EQ(count("SELECT pos FROM chunk_files WHERE document_id = 'd1' AND version = 1 AND "
                  "idx = 2"),
            static_cast<std::int64_t>(a.size() + b.size()));
  store_.reset();
  store_ = sqlite::SqliteStore::open(db(), false).value();
  EXPECT_EQ(get("d1", 1, 0).value(), a);
  EXPECT_EQ(get("d1", 1, 1).value(), b);
  EXPECT_EQ(get("d1", 1, 2).value(), c);
  EXPECT_EQ(get("d1", 2, 0).value(), c);
  auto missing = get("d1", 1, 3);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::kIntegrity);
  EXPECT_EQ((fs::status(chunk_dir()).permissions() & fs::perms::all), fs::perms::owner_all);
}

TEST_F(ChunkFilesTest, AChunkIsWrittenOnceAndTheFileIsUntouchedByTheRefusal) {
  ASSERT_TRUE(put("d1", 1, 0, {chunk_of(10, 1), chunk_of(10, 2)}).ok());
  auto again = put("d1", 1, 0, {chunk_of(10, 9)});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(get("d1", 1, 0).value(), chunk_of(10, 1)) << "the first chunk was not truncated";
  EXPECT_EQ(get("d1", 1, 1).value(), chunk_of(10, 2));
}

// A job that fails rolls its index rows back; the bytes it appended are never read (reads go by
// the index) and the next chunk lands after them.
TEST_F(ChunkFilesTest, AFailedJobLeavesUnindexedBytesThatNothingReads) {
  ASSERT_TRUE(put("d1", 1, 0, {chunk_of(10, 1)}).ok());
  auto failed = store_->write([&](WriteTx& tx) -> Result<void> {
    BAOMI_TRY(tx.write_chunk("d1", 1, 1, chunk_of(10, 7)));
    return Error::internal("the job fails after its chunk");
  });
  ASSERT_FALSE(failed.ok());
  EXPECT_FALSE(get("d1", 1, 1).ok());
  ASSERT_TRUE(put("d1", 1, 1, {chunk_of(10, 2)}).ok());
  EXPECT_EQ(get("d1", 1, 1).value(), chunk_of(10, 2));
  EXPECT_EQ(fs::file_size(file_of("d1", 1)), 30u);
}

// Removal: the file goes once the commit that drops the index is durable; a removal in a job
// that fails keeps it; a removal of a version whose index never committed (a failed upload's
// first batch) removes its file too.
TEST_F(ChunkFilesTest, RemovalUnlinksTheFileAfterItsCommitOnly) {
  ASSERT_TRUE(put("d1", 1, 0, {chunk_of(10, 1)}).ok());
  ASSERT_TRUE(put("d1", 2, 0, {chunk_of(10, 2)}).ok());
  auto failed = store_->write([&](WriteTx& tx) -> Result<void> {
    BAOMI_TRY(tx.delete_chunks("d1", 1));
    return Error::internal("rolled back");
  });
  ASSERT_FALSE(failed.ok());
  EXPECT_TRUE(fs::exists(file_of("d1", 1))) << "a rolled-back removal unlinks nothing";
  EXPECT_EQ(get("d1", 1, 0).value(), chunk_of(10, 1));
  ASSERT_TRUE(store_->write([&](WriteTx& tx) { return tx.delete_chunks("d1", 1); }).ok());
  EXPECT_FALSE(fs::exists(file_of("d1", 1)));
  EXPECT_TRUE(fs::exists(file_of("d1", 2))) << "other versions keep theirs";
  EXPECT_EQ(count("SELECT count(*) FROM chunk_files WHERE version = 1"), 0);
  // A file no index row names (its first batch's commit failed): removing the version takes it.
  { std::ofstream(file_of("d1", 3)) << "orphan"; }
  ASSERT_TRUE(store_->write([&](WriteTx& tx) { return tx.delete_chunks("d1", 3); }).ok());
  EXPECT_FALSE(fs::exists(file_of("d1", 3)));
}

// Crash leftovers (files no committed index names) are swept; indexed files, files too young
// (another process may be between creating one and committing it) and foreign names stay.
TEST_F(ChunkFilesTest, CrashLeftoversAreSweptAndIndexedFilesStay) {
  ASSERT_TRUE(put("d1", 1, 0, {chunk_of(10, 1)}).ok());
  { std::ofstream(file_of("d9", 1)) << "left by a crash before its first commit"; }
  { std::ofstream(chunk_dir() / "README") << "not ours"; }
  EXPECT_EQ(store_->sweep_chunk_files(std::chrono::seconds(3600)).value(), 0u)
      << "younger than the grace: kept";
  EXPECT_TRUE(fs::exists(file_of("d9", 1)));
  EXPECT_EQ(store_->sweep_chunk_files(std::chrono::seconds(0)).value(), 1u);
  EXPECT_FALSE(fs::exists(file_of("d9", 1)));
  EXPECT_TRUE(fs::exists(file_of("d1", 1)));
  EXPECT_TRUE(fs::exists(chunk_dir() / "README"));
  EXPECT_EQ(get("d1", 1, 0).value(), chunk_of(10, 1));
}

// While a backup holds the guard, a removal leaves the file (the backup's snapshot may name
// it) and the sweep waits; once the guard is free the sweep takes it.
TEST_F(ChunkFilesTest, NoUnlinkWhileABackupHoldsTheGuard) {
  ASSERT_TRUE(put("d1", 1, 0, {chunk_of(10, 1)}).ok());
  const int guard = ::open((chunk_dir() / ".guard").c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0600);
  ASSERT_GE(guard, 0);
  ASSERT_EQ(::flock(guard, LOCK_EX), 0);
  ASSERT_TRUE(store_->write([&](WriteTx& tx) { return tx.delete_chunks("d1", 1); }).ok());
  EXPECT_TRUE(fs::exists(file_of("d1", 1)));
  EXPECT_EQ(store_->sweep_chunk_files(std::chrono::seconds(0)).value(), 0u);
  ::close(guard);
  EXPECT_EQ(store_->sweep_chunk_files(std::chrono::seconds(0)).value(), 1u);
  EXPECT_FALSE(fs::exists(file_of("d1", 1)));
}

// Chunks of an instance from before issue 14 are rows of the chunks table: still read, listed
// in key order with the files' (a migration copies both), and removed with their version.
TEST_F(ChunkFilesTest, ChunksInTheTableAreStillReadListedAndRemoved) {
  ASSERT_TRUE(store_
                  ->write([&](WriteTx& tx) -> Result<void> {
                    BAOMI_TRY(write_table_chunk(tx, "a-old", 1, 0, chunk_of(5, 0x0a)));
                    return write_table_chunk(tx, "c-old", 1, 0, chunk_of(5, 0x0c));
                  })
                  .ok());
  ASSERT_TRUE(put("b-new", 1, 0, {chunk_of(6, 0x0b), chunk_of(6, 0x1b)}).ok());
  EXPECT_EQ(get("a-old", 1, 0).value(), chunk_of(5, 0x0a));
  EXPECT_EQ(get("b-new", 1, 1).value(), chunk_of(6, 0x1b));
  std::vector<Row> rows;
  ASSERT_TRUE(store_
                  ->read([&](ReadTx& tx) {
                    return for_each_row(tx, chunk_table(), [&](const Row& r) -> Result<void> {
                      rows.push_back(r);
                      return {};
                    });
                  })
                  .ok());
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0],
            (Row{std::string("a-old"), std::int64_t{1}, std::int64_t{0}, chunk_of(5, 0x0a)}));
  EXPECT_EQ(rows[1],
            (Row{std::string("b-new"), std::int64_t{1}, std::int64_t{0}, chunk_of(6, 0x0b)}));
  EXPECT_EQ(rows[2],
            (Row{std::string("b-new"), std::int64_t{1}, std::int64_t{1}, chunk_of(6, 0x1b)}));
  EXPECT_EQ(rows[3],
            (Row{std::string("c-old"), std::int64_t{1}, std::int64_t{0}, chunk_of(5, 0x0c)}));
  ASSERT_TRUE(store_->write([&](WriteTx& tx) { return tx.delete_chunks("a-old", 1); }).ok());
  EXPECT_FALSE(get("a-old", 1, 0).ok());
  EXPECT_EQ(count("SELECT count(*) FROM chunks"), 1);
}

// A backup's snapshot stands alone: the chunk files' bytes are rows of its chunks table and
// its index is empty; the source is untouched.
TEST_F(ChunkFilesTest, ABackupSnapshotCarriesTheChunkFilesBytes) {
  ASSERT_TRUE(put("d1", 1, 0, {chunk_of(300, 1), chunk_of(7, 2)}).ok());
  ASSERT_TRUE(
      store_->write([&](WriteTx& tx) { return write_table_chunk(tx, "d0", 1, 0, chunk_of(4, 4)); })
          .ok());
  const auto snap = dir_ / "snapshot.db";
  ASSERT_TRUE(sqlite::online_backup(db(), snap).ok());
  auto copy = sqlite::Db::open(snap, false);
  ASSERT_TRUE(copy.ok());
  auto s = copy->prepare("SELECT document_id, idx, data FROM chunks ORDER BY document_id, idx");
  ASSERT_TRUE(s.ok());
  std::vector<std::pair<std::string, Bytes>> got;
  while (s->step().value()) got.emplace_back(s->text(0), s->blob(2));
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0], (std::pair<std::string, Bytes>{"d0", chunk_of(4, 4)}));
  EXPECT_EQ(got[1], (std::pair<std::string, Bytes>{"d1", chunk_of(300, 1)}));
  EXPECT_EQ(got[2], (std::pair<std::string, Bytes>{"d1", chunk_of(7, 2)}));
  auto idx = copy->prepare("SELECT count(*) FROM chunk_files");
  ASSERT_TRUE(idx.ok() && idx->step().value());
  EXPECT_EQ(idx->int64(0), 0);
  EXPECT_EQ(get("d1", 1, 0).value(), chunk_of(300, 1)) << "the source is as it was";
  // A file the index names that is gone fails the snapshot (nothing incomplete is signed).
  fs::remove(file_of("d1", 1));
  EXPECT_FALSE(sqlite::online_backup(db(), dir_ / "snapshot2.db").ok());
}

}  // namespace
}  // namespace baomi::storage
