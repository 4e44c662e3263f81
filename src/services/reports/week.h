// Reporting weeks (H4): ISO 8601 weeks ("2026-W48", Monday to Sunday) in the centre's local
// time (policy centre.utc_offset), and when a week's summary is due (policy reporting.weekly_due:
// by default Monday 10:00 of the following week). Pure functions; safe from any thread.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/time.h"

namespace baomi::services {

struct IsoWeek {
  int year = 0;  // the ISO week-numbering year (may differ from the calendar year at its ends)
  int week = 0;  // 1..52 or 53
  bool operator==(const IsoWeek&) const = default;
};

// "2026-W48" (also "2026-w48"); nullopt for anything else, or a week 53 the year lacks.
std::optional<IsoWeek> parse_iso_week(std::string_view text);
std::string format_iso_week(IsoWeek week);

// The week that local time `t + offset` falls in.
IsoWeek week_of(TimePoint t, std::chrono::minutes utc_offset);

// [start, end) of the week in UTC: local Monday 00:00 to the next Monday 00:00.
struct WeekSpan {
  TimePoint start;
  TimePoint end;
};
WeekSpan span_of(IsoWeek week, std::chrono::minutes utc_offset);

// When the summary of `week` is due: the given local weekday (0 = Sunday) and time of day in
// the following week (a Sunday deadline is the Sunday that ends that following week).
TimePoint summary_due(IsoWeek week, std::chrono::minutes utc_offset, int due_weekday,
                      std::chrono::minutes due_time);

}  // namespace baomi::services
