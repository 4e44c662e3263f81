// The maintenance lease (storage/lease.h) between separate stores on one PostgreSQL database,
// each standing for a server process with its own connections: one holder at a time even when
// they race for a free duty at the same instant, a dead holder's duty taken over after its
// term, and a release handing it over at once. This is what makes timers (request and grant
// expiry, overdue slips, timed checkpoints) run once across instances.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "storage/lease.h"
#include "storage/postgres/pg_store.h"
#include "support/postgres.h"

namespace baomi::storage {
namespace {

using std::chrono::seconds;

class MultiLeaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    BAOMI_POSTGRES_DATABASE_OR_SKIP(url_);
    for (int i = 0; i < 4; ++i) {
      auto opened = postgres::PgStore::open(url_, i == 0);
      ASSERT_TRUE(opened.ok()) << opened.error().message;
      stores_.push_back(std::move(opened).value());
    }
  }
  static bool holds(Lease& lease, TimePoint at) {
    auto held = lease.acquire(at);
    EXPECT_TRUE(held.ok()) << held.error().message;
    return held.ok() && *held;
  }

  std::string url_;
  std::vector<std::unique_ptr<postgres::PgStore>> stores_;
  const TimePoint t0 = from_micros(1'800'000'000'000'000);
};

TEST_F(MultiLeaseTest, InstancesRacingForAFreeDutyGetOneHolder) {
  for (int round = 0; round < 10; ++round) {
    const std::string duty = "duty" + std::to_string(round);
    std::atomic<int> holders{0};
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < stores_.size(); ++i) {
      threads.emplace_back([&, i] {
        Lease lease(*stores_[i], duty, "instance-" + std::to_string(i), seconds(60));
        if (holds(lease, t0)) ++holders;
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(holders.load(), 1) << "round " << round << ": two instances would sweep twice";
  }
}

TEST_F(MultiLeaseTest, ADeadHoldersDutyIsTakenOverAndAReleaseHandsItOver) {
  Lease a(*stores_[0], "maintenance", "instance-a", seconds(60));
  Lease b(*stores_[1], "maintenance", "instance-b", seconds(60));
  ASSERT_TRUE(holds(a, t0));
  EXPECT_FALSE(holds(b, t0 + seconds(59)));
  EXPECT_TRUE(holds(a, t0 + seconds(30))) << "the holder renews its own term";
  EXPECT_FALSE(holds(b, t0 + seconds(89))) << "renewed at 30 s, the term runs to 90 s";
  EXPECT_TRUE(holds(b, t0 + seconds(91))) << "instance a stopped renewing";
  EXPECT_FALSE(holds(a, t0 + seconds(92))) << "a holder that comes back waits its turn";
  ASSERT_TRUE(b.release().ok());
  EXPECT_TRUE(holds(a, t0 + seconds(93))) << "released: taken at once";
}

}  // namespace
}  // namespace baomi::storage
