// The blind index over a real store: lookups by keyed hash, and an owner's rows replaced whole.
#include "barrier/blind_index.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <stdexcept>

#include "crypto/random.h"
#include "storage/sqlite/sqlite_store.h"

namespace baomi::barrier {
namespace {

const storage::Table& index_table() {
  static const storage::Table table = [] {
    storage::Table t;
    t.name = "test_index";
    t.columns = {{"kind", storage::ColumnType::kText, false},
                 {"hash", storage::ColumnType::kText, false},
                 {"owner", storage::ColumnType::kText, false}};
    t.key_size = 3;
    t.indexes = {{"test_index_owner", {"owner"}, false, ""}};
    return t;
  }();
  return table;
}

class BlindIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("baomi-index-" + crypto::random_id());
    std::filesystem::create_directories(dir_);
    store_ = storage::sqlite::SqliteStore::open(dir_ / "baomi.db", true).value();
    ASSERT_TRUE(store_->ensure_tables({&index_table()}).ok());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  void replace(const std::string& owner,
               const std::vector<std::pair<std::string, std::string>>& entries) {
    ASSERT_TRUE(SealedStore(*store_)
                    .write([&](WriteTx& tx) {
                      return BlindIndex(index_table()).replace(tx, owner, entries);
                    })
                    .ok());
  }
  std::vector<std::string> find(const std::string& kind, const std::string& hash,
                                std::size_t limit = 10) {
    std::vector<std::string> owners;
    EXPECT_TRUE(SealedStore(*store_)
                    .read([&](ReadTx& tx) -> Result<void> {
                      BAOMI_ASSIGN_OR_RETURN(owners,
                                             BlindIndex(index_table()).find(tx, kind, hash, limit));
                      return {};
                    })
                    .ok());
    return owners;
  }

  std::filesystem::path dir_;
  std::unique_ptr<storage::Store> store_;
};

TEST_F(BlindIndexTest, FindsOwnersByKindAndHashInIdOrder) {
  replace("c2", {{"phone", "h1"}, {"email", "h2"}});
  replace("c1", {{"phone", "h1"}});
  EXPECT_EQ(find("phone", "h1"), (std::vector<std::string>{"c1", "c2"}));
  EXPECT_EQ(find("phone", "h1", 1), (std::vector<std::string>{"c1"}));
  EXPECT_EQ(find("email", "h2"), (std::vector<std::string>{"c2"}));
  EXPECT_TRUE(find("phone", "h2").empty());  // the kind is part of the match
}

TEST_F(BlindIndexTest, ReplaceDropsTheOwnersOldRows) {
  replace("c1", {{"phone", "old"}, {"email", "e"}});
  replace("c1", {{"phone", "new"}});
  EXPECT_TRUE(find("phone", "old").empty());
  EXPECT_TRUE(find("email", "e").empty());
  EXPECT_EQ(find("phone", "new"), (std::vector<std::string>{"c1"}));
  replace("c1", {});
  EXPECT_TRUE(find("phone", "new").empty());
}

TEST_F(BlindIndexTest, ReplaceRemovesMoreRowsThanOneScanPage) {
  std::vector<std::pair<std::string, std::string>> many;
  for (int i = 0; i < 250; ++i) many.emplace_back("k", "h" + std::to_string(i));
  replace("c1", many);
  replace("c1", {});
  for (int i : {0, 120, 249}) EXPECT_TRUE(find("k", "h" + std::to_string(i)).empty());
}

TEST(BlindIndexTableTest, RefusesATableOfAnotherShape) {
  storage::Table t;
  t.name = "wrong";
  t.columns = {{"kind", storage::ColumnType::kText, false}};
  EXPECT_THROW(BlindIndex{t}, std::logic_error);
}

}  // namespace
}  // namespace baomi::barrier
