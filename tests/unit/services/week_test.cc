// Reporting weeks (H4): ISO weeks in the centre's local time and the Monday 10:00 deadline.
#include "services/reports/week.h"

#include <gtest/gtest.h>

namespace baomi::services {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

constexpr minutes kBeijing{8 * 60};

TimePoint week_at(const char* rfc3339) { return *parse_rfc3339(rfc3339); }

TEST(IsoWeeks, ParseAndFormat) {
  EXPECT_EQ(parse_iso_week("2026-W48"), (IsoWeek{2026, 48}));
  EXPECT_EQ(parse_iso_week("2026-w01"), (IsoWeek{2026, 1}));
  EXPECT_EQ(format_iso_week({2026, 3}), "2026-W03");
  EXPECT_FALSE(parse_iso_week("2026-W00"));
  EXPECT_FALSE(parse_iso_week("2027-W53"));  // 2027 has 52 ISO weeks
  EXPECT_TRUE(parse_iso_week("2026-W53"));
  EXPECT_TRUE(parse_iso_week("2020-W53"));  // 2020 had 53 ISO weeks
  EXPECT_FALSE(parse_iso_week("2026W48"));
  EXPECT_FALSE(parse_iso_week("2026-W4"));
  EXPECT_FALSE(parse_iso_week("abcd-W10"));
}

TEST(IsoWeeks, WeekOfUsesLocalTimeAndIsoYears_H4) {
  // Monday 2026-11-30 00:30 in Beijing is still Sunday 16:30 UTC the day before.
  EXPECT_EQ(week_of(week_at("2026-11-29T16:30:00Z"), kBeijing), (IsoWeek{2026, 49}));
  EXPECT_EQ(week_of(week_at("2026-11-29T15:59:59Z"), kBeijing), (IsoWeek{2026, 48}));
  EXPECT_EQ(week_of(week_at("2026-11-29T16:30:00Z"), minutes{0}), (IsoWeek{2026, 48}));
  // ISO years at the ends of calendar years.
  EXPECT_EQ(week_of(week_at("2021-01-03T12:00:00Z"), minutes{0}), (IsoWeek{2020, 53}));
  EXPECT_EQ(week_of(week_at("2024-12-30T12:00:00Z"), minutes{0}), (IsoWeek{2025, 1}));
}

TEST(IsoWeeks, SpanIsLocalMondayToMonday_H4) {
  const auto span = span_of({2026, 49}, kBeijing);
  EXPECT_EQ(span.start, week_at("2026-11-29T16:00:00Z"));  // Monday 30 Nov 00:00 in Beijing
  EXPECT_EQ(span.end, week_at("2026-12-06T16:00:00Z"));
  EXPECT_EQ(week_of(span.start, kBeijing), (IsoWeek{2026, 49}));
  EXPECT_EQ(week_of(span.end - std::chrono::microseconds(1), kBeijing), (IsoWeek{2026, 49}));
  EXPECT_EQ(week_of(span.end, kBeijing), (IsoWeek{2026, 50}));
}

TEST(IsoWeeks, SummaryDueMondayTenOfTheFollowingWeek_H4) {
  // Week 48 of 2026 ends Sunday 29 Nov; due Monday 30 Nov 10:00 Beijing = 02:00 UTC.
  EXPECT_EQ(summary_due({2026, 48}, kBeijing, 1, hours{10}), week_at("2026-11-30T02:00:00Z"));
  // A Friday 17:30 deadline instead.
  EXPECT_EQ(summary_due({2026, 48}, kBeijing, 5, minutes{17 * 60 + 30}),
            week_at("2026-12-04T09:30:00Z"));
  // Sunday: the end of the following week.
  EXPECT_EQ(summary_due({2026, 48}, kBeijing, 0, hours{9}), week_at("2026-12-06T01:00:00Z"));
}

}  // namespace
}  // namespace baomi::services
