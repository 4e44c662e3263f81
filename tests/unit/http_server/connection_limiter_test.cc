// The per-source connection registry (issue 16, attack 1): one source cannot take more than its
// cap, other sources keep their places, and every place comes back when its slot goes.
#include "http/server/connection_limiter.h"

#include <gtest/gtest.h>

#include <vector>

namespace baomi::http {
namespace {

using Slot = ConnectionLimiter::Slot;

std::vector<Slot> take(ConnectionLimiter& limiter, const std::string& source, int n) {
  std::vector<Slot> held;
  for (int i = 0; i < n; ++i) {
    auto a = limiter.admit(source);
    EXPECT_FALSE(a.refused) << source << " #" << i;
    held.push_back(std::move(a.slot));
  }
  return held;
}

TEST(ConnectionLimiterTest, OneSourceStopsAtItsCapOthersDoNot) {
  ConnectionLimiter limiter(100, 3);
  auto attacker = take(limiter, "10.0.0.2", 3);
  auto refused = limiter.admit("10.0.0.2");
  ASSERT_TRUE(refused.refused);
  EXPECT_EQ(*refused.refused, Refusal::kPerAddressCap);
  EXPECT_FALSE(refused.slot);
  auto other = limiter.admit("10.0.0.1");
  EXPECT_FALSE(other.refused);
  EXPECT_TRUE(other.slot);
  EXPECT_EQ(limiter.open(), 4u);
  EXPECT_EQ(limiter.open_from("10.0.0.2"), 3u);
  EXPECT_EQ(limiter.open_from("10.0.0.1"), 1u);
}

TEST(ConnectionLimiterTest, ReleasingASlotGivesThePlaceBack) {
  ConnectionLimiter limiter(100, 2);
  auto held = take(limiter, "a", 2);
  EXPECT_TRUE(limiter.admit("a").refused);
  held.pop_back();
  EXPECT_EQ(limiter.open_from("a"), 1u);
  auto again = limiter.admit("a");
  EXPECT_FALSE(again.refused);
  held.clear();
  again.slot.release();
  again.slot.release();  // idempotent
  EXPECT_EQ(limiter.open(), 0u);
  EXPECT_EQ(limiter.sources(), 0u) << "sources without connections are forgotten";
}

TEST(ConnectionLimiterTest, AFullServerRefusesEveryoneWithItsOwnReason) {
  ConnectionLimiter limiter(4, 3);
  auto a = take(limiter, "a", 2);
  auto b = take(limiter, "b", 2);
  auto c = limiter.admit("c");
  ASSERT_TRUE(c.refused);
  EXPECT_EQ(*c.refused, Refusal::kServerFull);
  // A source at its own cap hears about its cap first.
  b.pop_back();
  a.push_back(std::move(limiter.admit("a").slot));
  auto a4 = limiter.admit("a");
  ASSERT_TRUE(a4.refused);
  EXPECT_EQ(*a4.refused, Refusal::kPerAddressCap);
}

TEST(ConnectionLimiterTest, MovedSlotsReleaseExactlyOnce) {
  ConnectionLimiter limiter(10, 10);
  Slot s = limiter.admit("x").slot;
  Slot t = std::move(s);
  EXPECT_FALSE(s);  // NOLINT(bugprone-use-after-move): checking the moved-from state
  EXPECT_TRUE(t);
  Slot u;
  u = std::move(t);
  EXPECT_EQ(limiter.open(), 1u);
  u = limiter.admit("y").slot;  // assigning over a held slot releases it
  EXPECT_EQ(limiter.open(), 1u);
  EXPECT_EQ(limiter.open_from("x"), 0u);
  EXPECT_EQ(u.source(), "y");
}

TEST(ConnectionLimiterTest, SourcesAreIpv4AddressesOrIpv6Slash64) {
  namespace ip = boost::asio::ip;
  EXPECT_EQ(source_key(ip::make_address("127.0.0.2")), "127.0.0.2");
  EXPECT_EQ(source_key(ip::make_address("::ffff:192.0.2.7")), "192.0.2.7");
  EXPECT_EQ(source_key(ip::make_address("2001:db8:1:2:aaaa::1")), "2001:db8:1:2::/64");
  EXPECT_EQ(source_key(ip::make_address("2001:db8:1:2:ffff:1:2:3")),
            source_key(ip::make_address("2001:db8:1:2::9")));
  EXPECT_NE(source_key(ip::make_address("2001:db8:1:3::1")),
            source_key(ip::make_address("2001:db8:1:2::1")));
}

}  // namespace
}  // namespace baomi::http
