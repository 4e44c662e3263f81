// Lease: two stores open on one database file stand for two server instances; the maintenance
// duty is held by one at a time, renewed by its holder, taken over once a dead holder's term
// has run out, and given up at once on release.
#include "storage/lease.h"

#include <gtest/gtest.h>

#include "crypto/random.h"
#include "storage/meta.h"
#include "storage/sqlite/sqlite_store.h"

namespace baomi::storage {
namespace {

using std::chrono::seconds;

class LeaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("baomi-lease-" + crypto::random_id());
    std::filesystem::create_directories(dir_);
    first_ = sqlite::SqliteStore::open(dir_ / "baomi.db", true).value();
    second_ = sqlite::SqliteStore::open(dir_ / "baomi.db", false).value();
  }
  void TearDown() override {
    first_.reset();
    second_.reset();
    std::filesystem::remove_all(dir_);
  }
  static bool holds(Lease& lease, TimePoint at) {
    auto held = lease.acquire(at);
    EXPECT_TRUE(held.ok()) << held.error().message;
    return held.ok() && *held;
  }

  std::filesystem::path dir_;
  std::unique_ptr<sqlite::SqliteStore> first_;
  std::unique_ptr<sqlite::SqliteStore> second_;
  const TimePoint t0 = from_micros(1'800'000'000'000'000);
};

TEST_F(LeaseTest, OneInstanceHoldsTheDutyAndRenewsIt) {
  Lease a(*first_, "maintenance", "instance-a", seconds(60));
  Lease b(*second_, "maintenance", "instance-b", seconds(60));
  EXPECT_TRUE(holds(a, t0));
  EXPECT_FALSE(holds(b, t0 + seconds(1))) << "two instances would sweep twice";
  EXPECT_TRUE(holds(a, t0 + seconds(50))) << "the holder renews its own term";
  EXPECT_FALSE(holds(b, t0 + seconds(100))) << "renewed at 50 s, the term runs to 110 s";
}

TEST_F(LeaseTest, ADeadHoldersDutyIsTakenOverWhenItsTermEnds) {
  Lease a(*first_, "maintenance", "instance-a", seconds(60));
  Lease b(*second_, "maintenance", "instance-b", seconds(60));
  ASSERT_TRUE(holds(a, t0));
  EXPECT_FALSE(holds(b, t0 + seconds(59)));
  EXPECT_TRUE(holds(b, t0 + seconds(61))) << "instance a stopped renewing";
  EXPECT_FALSE(holds(a, t0 + seconds(62))) << "a holder that comes back waits its turn";
}

TEST_F(LeaseTest, ReleaseHandsTheDutyOverAtOnce) {
  Lease a(*first_, "maintenance", "instance-a", seconds(60));
  Lease b(*second_, "maintenance", "instance-b", seconds(60));
  ASSERT_TRUE(holds(a, t0));
  ASSERT_TRUE(b.release().ok());
  EXPECT_FALSE(holds(b, t0 + seconds(1))) << "only the holder's release counts";
  ASSERT_TRUE(a.release().ok());
  EXPECT_TRUE(holds(b, t0 + seconds(2)));
}

TEST_F(LeaseTest, DutiesAreIndependentAndAnUnreadableEntryIsFree) {
  Lease sweeps(*first_, "maintenance", "instance-a", seconds(60));
  Lease other(*second_, "reindex", "instance-b", seconds(60));
  EXPECT_TRUE(holds(sweeps, t0));
  EXPECT_TRUE(holds(other, t0));
  ASSERT_TRUE(first_
                  ->write([](WriteTx& tx) {
                    return storage::put_meta(tx, "lease.maintenance", to_bytes("junk"));
                  })
                  .ok());
  Lease b(*second_, "maintenance", "instance-b", seconds(60));
  EXPECT_TRUE(holds(b, t0 + seconds(1)));
}

}  // namespace
}  // namespace baomi::storage
