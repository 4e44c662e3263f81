// LoginThrottle (S9) with time as an input: growing delays per (name, source), isolation between
// sources, the LRU bound on what outsiders can make it remember, and spraying detection.
#include "auth/login_throttle.h"

#include <gtest/gtest.h>

namespace baomi::auth {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;
using Verdict = LoginGate::Verdict;

class LoginThrottleTest : public ::testing::Test {
 protected:
  static policy::LockoutSettings settings() {
    policy::LockoutSettings s;  // the defaults of policies/default.yaml
    s.tracked_entries = 100;
    return s;
  }
  void fail(const std::string& source, const std::string& name, int times = 1) {
    for (int i = 0; i < times; ++i) (void)throttle.failed(source, name, now);
  }
  TimePoint now = from_micros(1'800'000'000'000'000);
  LoginThrottle throttle{settings()};
};

TEST_F(LoginThrottleTest, DelaysDoubleUpToTheCap) {
  fail("10.0.0.1", "n", 4);
  EXPECT_EQ(throttle.check("10.0.0.1", "n", now).verdict, Verdict::kOpen);
  const auto fifth = throttle.failed("10.0.0.1", "n", now);
  ASSERT_TRUE(fifth.pair_delay.has_value());
  EXPECT_EQ(*fifth.pair_delay, minutes{1});
  EXPECT_EQ(fifth.failures, 5);
  auto gate = throttle.check("10.0.0.1", "n", now);
  EXPECT_EQ(gate.verdict, Verdict::kLocked);
  EXPECT_EQ(gate.retry_after, minutes{1});
  // Each failure after a refusal is over refuses for twice as long, up to max_delay (1h), even
  // when a refusal outlasts the 15 minute window.
  const std::vector<minutes> expected = {minutes{2},  minutes{4},  minutes{8}, minutes{16},
                                         minutes{32}, minutes{60}, minutes{60}};
  seconds refused = minutes{1};
  for (const auto want : expected) {
    now += refused;
    EXPECT_EQ(throttle.check("10.0.0.1", "n", now).verdict, Verdict::kOpen);
    const auto f = throttle.failed("10.0.0.1", "n", now);
    ASSERT_TRUE(f.pair_delay.has_value());
    EXPECT_EQ(*f.pair_delay, want);
    refused = *f.pair_delay;
  }
}

TEST_F(LoginThrottleTest, SuccessOrAQuietWindowStartsThePairAfresh) {
  fail("10.0.0.1", "n", 4);
  throttle.succeeded("10.0.0.1", "n");
  EXPECT_FALSE(throttle.failed("10.0.0.1", "n", now).pair_delay.has_value());
  fail("10.0.0.1", "n", 4);  // refused (strike 1)
  now += minutes{16};        // a whole window without failures
  fail("10.0.0.1", "n", 4);
  const auto again = throttle.failed("10.0.0.1", "n", now);
  ASSERT_TRUE(again.pair_delay.has_value());
  EXPECT_EQ(*again.pair_delay, minutes{1}) << "strikes forgotten after a quiet window";
}

TEST_F(LoginThrottleTest, OneSourceNeverRefusesAnother) {
  fail("203.0.113.9", "admin", 30);
  EXPECT_NE(throttle.check("203.0.113.9", "admin", now).verdict, Verdict::kOpen);
  EXPECT_EQ(throttle.check("127.0.0.1", "admin", now).verdict, Verdict::kOpen);
  EXPECT_EQ(throttle.check("203.0.113.10", "admin", now).verdict, Verdict::kOpen);
}

TEST_F(LoginThrottleTest, ManyNamesFromOneSourceBlockItAndStartOneEpisode) {
  for (int i = 0; i < 10; ++i) {
    const auto f = throttle.failed("198.51.100.7", "name" + std::to_string(i), now);
    EXPECT_FALSE(f.source_block.has_value()) << "name " << i;
  }
  const auto eleventh = throttle.failed("198.51.100.7", "name10", now);
  ASSERT_TRUE(eleventh.source_block.has_value());
  EXPECT_TRUE(eleventh.source_block->new_episode);
  EXPECT_EQ(eleventh.source_block->names, 11u);
  EXPECT_EQ(eleventh.source_block->blocked_for, minutes{15});
  const auto gate = throttle.check("198.51.100.7", "anyone", now);
  EXPECT_EQ(gate.verdict, Verdict::kRateLimited);
  EXPECT_EQ(gate.retry_after, minutes{15});
  EXPECT_EQ(throttle.source_retry_after("198.51.100.7", now), minutes{15});
  EXPECT_EQ(throttle.check("198.51.100.8", "anyone", now).verdict, Verdict::kOpen);
}

TEST_F(LoginThrottleTest, HammeringARefusedNameEndsInARateLimit) {
  fail("10.0.0.1", "n", 5);
  std::optional<SourceBlock> block;
  for (int i = 0; i < 60 && !block; ++i) {
    auto gate = throttle.check("10.0.0.1", "n", now);
    ASSERT_EQ(gate.verdict, Verdict::kLocked);
    block = gate.source_block;
  }
  ASSERT_TRUE(block.has_value());
  EXPECT_EQ(block->failures, 51u);  // source_max_failures (50) exceeded
  EXPECT_EQ(throttle.check("10.0.0.1", "n", now).verdict, Verdict::kRateLimited);
}

TEST_F(LoginThrottleTest, MemoryIsBoundedWhateverOutsidersSend) {
  for (int i = 0; i < 1000; ++i) {
    fail("10.1." + std::to_string(i / 250) + "." + std::to_string(i % 250),
         "n" + std::to_string(i));
  }
  EXPECT_EQ(throttle.tracked_pairs(), 100u);
  EXPECT_EQ(throttle.tracked_sources(), 100u);
  // The least recently used went first: a recent refusal is still remembered.
  fail("10.9.9.9", "victim", 5);
  for (int i = 0; i < 99; ++i) fail("10.2.0." + std::to_string(i), "x");
  EXPECT_EQ(throttle.check("10.9.9.9", "victim", now).verdict, Verdict::kLocked);
}

TEST_F(LoginThrottleTest, SourceKeysGroupIpv6ByPrefixAndUnwrapMappedIpv4) {
  EXPECT_EQ(login_source_key("192.0.2.1"), "192.0.2.1");
  EXPECT_EQ(login_source_key("::ffff:192.0.2.1"), "192.0.2.1");
  EXPECT_EQ(login_source_key("::1"), "::1");
  EXPECT_EQ(login_source_key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
  EXPECT_EQ(login_source_key("2001:db8:1:2:bbbb::9"), login_source_key("2001:db8:1:2:aaaa::1"));
  EXPECT_NE(login_source_key("2001:db8:1:3::1"), login_source_key("2001:db8:1:2::1"));
  EXPECT_EQ(login_source_key("unknown"), "unknown");
}

}  // namespace
}  // namespace baomi::auth
