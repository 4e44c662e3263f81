// SqliteStore: what only the embedded engine does (pending versions, free pages, the file).
// The contracts both engines share are in store_conformance_test.cc.
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

TEST_F(StoreTest, PendingVersionsAreInvisibleAndPurged) {
  DocumentRow doc;
  doc.id = "d1";
  doc.level = "secret";
  doc.custodian_id = doc.author_id = "u1";
  ASSERT_TRUE(store_
                  ->write([&](WriteTx& tx) -> Result<void> {
                    BAOMI_TRY(insert_user(tx, "u1", "idx"));
                    BAOMI_TRY(tx.insert_document(doc));
                    VersionRow v;
                    v.document_id = "d1";
                    v.version = 1;
                    BAOMI_TRY(tx.insert_version(v));
                    return tx.write_chunk("d1", 1, 0, to_bytes("sealed"));
                  })
                  .ok());
  ASSERT_TRUE(store_
                  ->read([&](ReadTx& tx) -> Result<void> {
                    BAOMI_ASSIGN_OR_RETURN(auto versions, tx.list_versions("d1"));
                    EXPECT_TRUE(versions.empty()) << "a pending version is not listed";
                    return {};
                  })
                  .ok());
  std::size_t purged = 0;
  ASSERT_TRUE(store_
                  ->write([&](WriteTx& tx) -> Result<void> {
                    BAOMI_ASSIGN_OR_RETURN(purged, tx.purge_pending_versions());
                    return {};
                  })
                  .ok());
  EXPECT_EQ(purged, 1u);
  ASSERT_TRUE(store_
                  ->read([&](ReadTx& tx) -> Result<void> {
                    Bytes out;
                    auto r = tx.read_chunk("d1", 1, 0, out);
                    EXPECT_FALSE(r.ok()) << "the chunks of a purged upload are gone";
                    BAOMI_ASSIGN_OR_RETURN(auto v, tx.get_version("d1", 1));
                    EXPECT_FALSE(v.has_value());
                    return {};
                  })
                  .ok());
}

// Issue 16: a killed upload's chunks are purged, and the space they held goes back to the file
// system (incremental auto-vacuum), instead of staying in the file until reused.
TEST_F(StoreTest, PurgedUploadsGiveTheirPagesBack) {
  ASSERT_TRUE(store_
                  ->write([&](WriteTx& tx) -> Result<void> {
                    BAOMI_TRY(insert_user(tx, "u1", "idx"));
                    DocumentRow doc;
                    doc.id = "d1";
                    doc.level = "secret";
                    doc.custodian_id = doc.author_id = "u1";
                    BAOMI_TRY(tx.insert_document(doc));
                    VersionRow v;
                    v.document_id = "d1";
                    v.version = 1;
                    BAOMI_TRY(tx.insert_version(v));
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
                  ->write([](WriteTx& tx) -> Result<void> {
                    BAOMI_TRY(tx.purge_pending_versions());
                    return {};
                  })
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

TEST_F(StoreTest, OpenWithoutCreateFailsForMissingFile) {
  auto r = sqlite::SqliteStore::open(dir_ / "missing.db", false);
  EXPECT_FALSE(r.ok());
}

}  // namespace
}  // namespace baomi::storage
