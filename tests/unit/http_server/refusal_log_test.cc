// The refusal log cannot be flooded (issue 16, attack 1): per source one line per interval,
// carrying the count of what it stands for, and bounded memory however many sources there are.
#include "http/server/refusal_log.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>
#include <vector>

namespace baomi::http {
namespace {

using Clock = RefusalLog::Clock;
using std::chrono::seconds;

struct Lines {
  std::vector<std::string> all;
  RefusalLog::Sink sink() {
    return [this](const std::string& l) { all.push_back(l); };
  }
};

std::uint64_t count_in(const std::string& line, std::string_view reason) {
  const auto v = boost::json::parse(line).as_object();
  const auto& refused = v.at("refused").as_object();
  auto it = refused.find(reason);
  return it == refused.end() ? 0 : it->value().to_number<std::uint64_t>();
}

TEST(RefusalLogTest, FirstRefusalIsLoggedAtOnceTheRestCountedIntoOneLinePerInterval) {
  Lines lines;
  RefusalLog log(seconds(10), 100, lines.sink());
  const auto t0 = Clock::now();
  log.note("127.0.0.2", Refusal::kPerAddressCap, t0);
  ASSERT_EQ(lines.all.size(), 1u);
  const auto first = boost::json::parse(lines.all[0]).as_object();
  EXPECT_EQ(first.at("event").as_string(), "connections_refused");
  EXPECT_EQ(first.at("remote").as_string(), "127.0.0.2");
  EXPECT_EQ(count_in(lines.all[0], "per_address_cap"), 1u);
  for (int i = 0; i < 1000; ++i) log.note("127.0.0.2", Refusal::kPerAddressCap, t0 + seconds(1));
  log.note("127.0.0.2", Refusal::kSlowBody, t0 + seconds(2));
  EXPECT_EQ(lines.all.size(), 1u) << "a flood of refusals is not a flood of lines";
  log.flush(t0 + seconds(5));
  EXPECT_EQ(lines.all.size(), 1u) << "nothing is due before the interval has passed";
  log.note("127.0.0.2", Refusal::kPerAddressCap, t0 + seconds(10));
  ASSERT_EQ(lines.all.size(), 2u);
  EXPECT_EQ(count_in(lines.all[1], "per_address_cap"), 1001u);
  EXPECT_EQ(count_in(lines.all[1], "slow_body"), 1u);
}

TEST(RefusalLogTest, FlushWritesHeldBackCountsAndForgetsQuietSources) {
  Lines lines;
  RefusalLog log(seconds(10), 100, lines.sink());
  const auto t0 = Clock::now();
  log.note("a", Refusal::kHeaderTimeout, t0);
  log.note("a", Refusal::kHeaderTimeout, t0 + seconds(1));
  log.note("a", Refusal::kHeaderTimeout, t0 + seconds(2));
  log.flush(t0 + seconds(11));
  ASSERT_EQ(lines.all.size(), 2u);
  EXPECT_EQ(count_in(lines.all[1], "header_timeout"), 2u);
  EXPECT_EQ(log.tracked(), 1u);
  log.flush(t0 + seconds(22));
  EXPECT_EQ(lines.all.size(), 2u);
  EXPECT_EQ(log.tracked(), 0u);
  log.note("a", Refusal::kHeaderTimeout, t0 + seconds(23));  // forgotten: logged at once again
  EXPECT_EQ(lines.all.size(), 3u);
}

TEST(RefusalLogTest, FlushEverythingWritesWhatIsHeldWithoutWaiting) {
  Lines lines;
  RefusalLog log(seconds(10), 100, lines.sink());
  const auto t0 = Clock::now();
  log.note("a", Refusal::kServerFull, t0);
  log.note("a", Refusal::kServerFull, t0);
  log.flush(t0, true);
  ASSERT_EQ(lines.all.size(), 2u);
  EXPECT_EQ(count_in(lines.all[1], "server_full"), 1u);
}

TEST(RefusalLogTest, SourcesBeyondTheBoundAreSummedUnderOneEntry) {
  Lines lines;
  RefusalLog log(seconds(10), 3, lines.sink());
  const auto t0 = Clock::now();
  for (int i = 0; i < 50; ++i) {
    log.note("10.0.0." + std::to_string(i), Refusal::kPerAddressCap, t0);
  }
  EXPECT_LE(log.tracked(), 4u);
  EXPECT_LE(lines.all.size(), 4u);
  log.flush(t0 + seconds(10));
  std::uint64_t total = 0;
  for (const auto& l : lines.all) total += count_in(l, "per_address_cap");
  EXPECT_EQ(total, 50u) << "every refusal is counted somewhere";
  EXPECT_NE(lines.all.back().find("\"remote\":\"*\""), std::string::npos) << lines.all.back();
}

}  // namespace
}  // namespace baomi::http
