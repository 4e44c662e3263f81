// ProbingWatch (S9): the count of an account's refusals lives in the store beside the audit
// entries that feed it; one alert per episode; only signed-in accounts' refusals count; a
// refusal whose transaction fails leaves no count behind.
#include "services/watch/probing_watch.h"

#include <gtest/gtest.h>

#include "support/test_runtime.h"

namespace baomi::services {
namespace {

using std::chrono::minutes;
using testing::TestRuntime;

policy::PolicyData two_refusals_in_ten_minutes() {
  policy::PolicyData data;
  data.watch.probing_refusals = 2;
  data.watch.probing_window = minutes{10};
  return data;
}

class ProbingWatchTest : public ::testing::Test {
 protected:
  void SetUp() override { t.set_audit_observer(&watch); }
  void TearDown() override { t.set_audit_observer(nullptr); }

  void refuse(const std::string& actor, const std::string& target = "document:d-1") {
    ASSERT_TRUE(
        t.rt()
            .audit.record(t.store(), {actor, "document.read", target, "deny", "S6", "{}"}, t.now)
            .ok());
  }
  std::size_t alerts_raised() {
    std::size_t n = 0;
    for (const auto& row : t.audit_rows()) n += row.action == "alert.raise";
    return n;
  }

  TestRuntime t{two_refusals_in_ten_minutes()};
  ProbingWatch watch{t.rt()};
  const std::string pryer = crypto::random_id();
};

TEST_F(ProbingWatchTest, OneAlertPerEpisodeAndANewOneOnlyAfterAQuietWindow_S9) {
  refuse(pryer);
  refuse(pryer);
  EXPECT_EQ(alerts_raised(), 0u);
  refuse(pryer, "user:u-7");
  EXPECT_EQ(alerts_raised(), 1u);
  const auto rows = t.audit_rows();
  EXPECT_EQ(rows.back().target, "account:" + pryer);
  EXPECT_EQ(rows.back().rule, "S9");
  EXPECT_EQ(rows[rows.size() - 2].decision, "deny")
      << "the alert follows the refusal that raised it";
  t.now += minutes{5};
  refuse(pryer);
  EXPECT_EQ(alerts_raised(), 1u) << "still the same episode";
  t.now += minutes{11};
  refuse(pryer);
  EXPECT_EQ(alerts_raised(), 1u) << "the older refusals left the window";
  refuse(pryer);
  refuse(pryer);
  EXPECT_EQ(alerts_raised(), 2u) << "a quiet window ended the episode; this is a new one";
}

TEST_F(ProbingWatchTest, OnlyRefusalsOfSignedInAccountsCount_S9) {
  for (int i = 0; i < 5; ++i) {
    refuse("-");
    refuse("system");
    ASSERT_TRUE(
        t.rt()
            .audit
            .record(t.store(), {pryer, "document.read", "document:d-1", "allow", "S6", "{}"}, t.now)
            .ok());
  }
  EXPECT_EQ(alerts_raised(), 0u);
}

TEST_F(ProbingWatchTest, ARefusalWhoseTransactionFailsIsNotCounted_S9) {
  refuse(pryer);
  auto failed = t.sealed().write([&](barrier::WriteTx& tx) -> Result<void> {
    BAOMI_TRY(t.rt().audit.append(tx, {pryer, "document.read", "document:d-1", "deny", "S6", "{}"},
                                  t.now));
    return Error::internal("the job fails after its entry");
  });
  ASSERT_FALSE(failed.ok());
  refuse(pryer);
  EXPECT_EQ(alerts_raised(), 0u) << "two refusals stored, so no crossing";
  refuse(pryer);
  EXPECT_EQ(alerts_raised(), 1u);
  EXPECT_TRUE(t.verify().ok) << "counts and alerts are committed to by the trail";
}

}  // namespace
}  // namespace baomi::services
