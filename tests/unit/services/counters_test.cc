// Counters kept as ledgered records (S7: one serial names one copy): a counter put back to an
// older value, or removed, is refused rather than counting again from there (I1); instances
// that kept a counter in the meta table go on from its value.
#include "barrier/counters.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "storage/meta.h"
#include "support/test_runtime.h"

namespace baomi::services {
namespace {

using testing::TestRuntime;

class CountersTest : public ::testing::Test {
 protected:
  void set(const std::string& name, std::uint64_t value) {
    ASSERT_TRUE(t.sealed()
                    .write([&](barrier::WriteTx& tx) -> Result<void> {
                      BAOMI_TRY(barrier::Counters(t.rt().barrier).set(tx, name, value));
                      BAOMI_TRY(t.rt().audit.append(
                          tx, {"system", "copy.issue", "copy:1", "allow", "S7", "{}"}, t.now));
                      return {};
                    })
                    .ok());
  }
  Result<std::uint64_t> get(const std::string& name) {
    std::uint64_t value = 0;
    auto r = t.sealed().read([&](barrier::ReadTx& tx) -> Result<void> {
      BAOMI_ASSIGN_OR_RETURN(value, barrier::Counters(t.rt().barrier).get(tx, name));
      return {};
    });
    if (!r.ok()) return r.error();
    return value;
  }
  storage::Row raw(const std::string& name) {
    std::optional<storage::Row> row;
    EXPECT_TRUE(t.store()
                    .read([&](storage::ReadTx& tx) -> Result<void> {
                      BAOMI_ASSIGN_OR_RETURN(
                          row, tx.get_row(barrier::counter_record_type().table(), {name}));
                      return {};
                    })
                    .ok());
    return *row;
  }
  void sql(const std::string& statement) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((t.dir() / "baomi.db").c_str(), &db), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db, statement.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db);
    sqlite3_close(db);
  }

  TestRuntime t;
};

TEST_F(CountersTest, NeverSetIsZeroAndSetValuesReadBack) {
  EXPECT_EQ(get("copy.next_serial").value(), 0u);
  set("copy.next_serial", 7);
  set("copy.next_serial", 8);
  EXPECT_EQ(get("copy.next_serial").value(), 8u);
  EXPECT_EQ(get("other").value(), 0u);
  EXPECT_TRUE(t.verify_with_records().ok) << t.verify_with_records().problem;
}

TEST_F(CountersTest, CounterPutBackToAnOlderValueIsRefused_S7_I1) {
  set("copy.next_serial", 5);
  const auto older = raw("copy.next_serial");
  set("copy.next_serial", 6);
  // A database editor restores the older row, so that serial 5 would be handed out again.
  ASSERT_TRUE(t.store()
                  .write([&](storage::WriteTx& tx) -> Result<void> {
                    return tx.update_row(barrier::counter_record_type().table(), older,
                                         std::nullopt);
                  })
                  .ok());
  auto read = get("copy.next_serial");
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().kind, ErrorKind::kIntegrity);
  EXPECT_FALSE(t.verify_with_records().ok);
}

TEST_F(CountersTest, RemovedCounterDoesNotStartAgainFromTheMetaValue_S7_I1) {
  ASSERT_TRUE(t.store()
                  .write([](storage::WriteTx& tx) {
                    return storage::put_meta(tx, "copy.next_serial", Bytes{0, 0, 0, 0, 0, 0, 0, 3});
                  })
                  .ok());
  set("copy.next_serial", 9);
  sql("DELETE FROM counters WHERE name = 'copy.next_serial'");
  auto read = get("copy.next_serial");
  ASSERT_FALSE(read.ok()) << "the counter fell back to " << read.value();
  EXPECT_EQ(read.error().kind, ErrorKind::kIntegrity);
}

TEST_F(CountersTest, CounterKeptInMetaBeforeTheRecordLayerGoesOnFromItsValue) {
  ASSERT_TRUE(t.store()
                  .write([](storage::WriteTx& tx) {
                    return storage::put_meta(tx, "copy.next_serial", Bytes{0, 0, 0, 0, 0, 0, 1, 2});
                  })
                  .ok());
  EXPECT_EQ(get("copy.next_serial").value(), 258u);
  set("copy.next_serial", 259);
  EXPECT_EQ(get("copy.next_serial").value(), 259u);
  ASSERT_TRUE(t.store()
                  .write([](storage::WriteTx& tx) {
                    return storage::put_meta(tx, "copy.text_variant_sets", Bytes{});
                  })
                  .ok());
  auto damaged = get("copy.text_variant_sets");
  ASSERT_FALSE(damaged.ok());
  EXPECT_EQ(damaged.error().kind, ErrorKind::kIntegrity);
}

}  // namespace
}  // namespace baomi::services
