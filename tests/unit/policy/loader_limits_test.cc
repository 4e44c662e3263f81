// The connection and slow-request keys of `limits` (issue 16, attack 1): their defaults, that
// each may be left out (older policies keep loading), and every broken value refused with the
// line that holds it.
#include <gtest/gtest.h>

#include <string>

#include "policy/loader.h"
#include "policy_test_util.h"

namespace baomi::policy {
namespace {

constexpr std::string_view kLimitsLabel = "test.yaml";
using std::chrono::seconds;
using testing::edit_line;

class LimitKeys : public ::testing::Test {
 protected:
  std::string text_ = testing::read_default_policy_text();

  void expect_error_at_edit(std::string_view line, std::string_view replacement,
                            std::string_view what) {
    const auto [text, number] = edit_line(text_, line, replacement);
    const auto result = parse_policy(text, kLimitsLabel);
    ASSERT_FALSE(result.ok()) << "expected an error at line " << number << " for " << replacement;
    const std::string prefix = std::string(kLimitsLabel) + ":" + std::to_string(number) + ": ";
    EXPECT_EQ(result.error().message.rfind(prefix, 0), 0u)
        << result.error().message << "\n  expected prefix " << prefix;
    EXPECT_NE(result.error().message.find(what), std::string::npos)
        << result.error().message << "\n  expected to contain " << what;
  }
  Result<Policy> parse_edited(std::string_view line, std::string_view replacement) {
    return parse_policy(edit_line(text_, line, replacement).first, kLimitsLabel);
  }
};

TEST_F(LimitKeys, DefaultsAreSafeAndDocumented) {
  const auto loaded = parse_policy(text_, kLimitsLabel);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  const Limits& l = loaded->limits();
  EXPECT_EQ(l.max_connections, 4096u);
  EXPECT_EQ(l.max_connections_per_address, 1024u);
  EXPECT_EQ(l.header_timeout, seconds{20});
  EXPECT_EQ(l.json_body_timeout, seconds{60});
  EXPECT_EQ(l.body_min_rate, 1024u);
  EXPECT_EQ(l.body_rate_grace, seconds{20});
  // A 2 GiB upload at the minimum rate is never cut by a deadline: streamed bodies have none.
  EXPECT_LT(l.body_min_rate, std::uint64_t{64} << 10);
}

TEST_F(LimitKeys, EveryNewKeyIsOptional) {
  std::string text = text_;
  for (std::string_view key :
       {"  max_connections:", "  max_connections_per_address:", "  header_timeout:",
        "  json_body_timeout:", "  body_min_rate:", "  body_rate_grace:"}) {
    const auto at = text.find(key);
    ASSERT_NE(at, std::string::npos) << key;
    text.erase(at, text.find('\n', at) + 1 - at);
  }
  const auto loaded = parse_policy(text, kLimitsLabel);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->limits(), Limits{});
}

TEST_F(LimitKeys, ValuesAreRead) {
  auto loaded =
      parse_edited("  max_connections_per_address: 1024", "  max_connections_per_address: 24");
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->limits().max_connections_per_address, 24u);
  loaded = parse_edited(
      "  body_rate_grace: 20s        # ...this much slack; also the longest "
      "silence allowed",
      "  body_rate_grace: 2m");
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->limits().body_rate_grace, seconds{120});
}

TEST_F(LimitKeys, BrokenValuesNameTheirLine) {
  expect_error_at_edit("  max_connections: 4096", "  max_connections: 0", "between 1 and 1000000");
  expect_error_at_edit("  max_connections: 4096", "  max_connections: many", "expected an integer");
  expect_error_at_edit("  max_connections_per_address: 1024", "  max_connections_per_address: 5000",
                       "between 1 and max_connections");
  expect_error_at_edit("  max_connections_per_address: 1024", "  max_connections_per_address: 0",
                       "between 1 and max_connections");
  expect_error_at_edit(
      "  header_timeout: 20s         # the whole request header must arrive within this",
      "  header_timeout: 0s", "positive duration");
  expect_error_at_edit(
      "  header_timeout: 20s         # the whole request header must arrive within this",
      "  header_timeout: 1h", "between 1s and 10m");
  expect_error_at_edit(
      "  json_body_timeout: 60s      # the whole JSON body must arrive within this",
      "  json_body_timeout: 2h", "between 1s and 1h");
  expect_error_at_edit(
      "  body_min_rate: 1KiB         # per second, every body (uploads too), after...",
      "  body_min_rate: fast", "expected a size");
  expect_error_at_edit(
      "  body_min_rate: 1KiB         # per second, every body (uploads too), after...",
      "  body_min_rate: 0", "between 1 byte and 1GiB");
  expect_error_at_edit(
      "  body_rate_grace: 20s        # ...this much slack; also the longest silence allowed",
      "  body_rate_grace: 11m", "between 1s and 10m");
}

}  // namespace
}  // namespace baomi::policy
