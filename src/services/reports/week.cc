#include "services/reports/week.h"

#include <charconv>
#include <cstdio>

namespace baomi::services {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

// Monday of ISO week 1: the Monday of the week holding 4 January.
sys_days week_one_monday(int iso_year) {
  const sys_days jan4{std::chrono::year{iso_year} / std::chrono::January / 4};
  const auto weekday = std::chrono::weekday{jan4}.iso_encoding();  // Monday = 1 ... Sunday = 7
  return jan4 - days{weekday - 1};
}

int weeks_in(int iso_year) {
  return static_cast<int>((week_one_monday(iso_year + 1) - week_one_monday(iso_year)).count() / 7);
}

std::optional<int> parse_number(std::string_view s) {
  int v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

std::optional<IsoWeek> parse_iso_week(std::string_view text) {
  if (text.size() != 8 || text[4] != '-' || (text[5] != 'W' && text[5] != 'w')) return std::nullopt;
  const auto year = parse_number(text.substr(0, 4));
  const auto week = parse_number(text.substr(6, 2));
  if (!year || !week || *year < 1970 || *year > 9998 || *week < 1) return std::nullopt;
  if (*week > weeks_in(*year)) return std::nullopt;
  return IsoWeek{*year, *week};
}

std::string format_iso_week(IsoWeek w) {
  std::string year = std::to_string(w.year);
  year.insert(0, year.size() < 4 ? 4 - year.size() : 0, '0');
  return year + (w.week < 10 ? "-W0" : "-W") + std::to_string(w.week);
}

IsoWeek week_of(TimePoint t, std::chrono::minutes utc_offset) {
  const auto local = std::chrono::floor<days>(t + utc_offset);
  const sys_days day{local.time_since_epoch()};
  const int year = static_cast<int>(std::chrono::year_month_day{day}.year());
  // The ISO year is the calendar year, the one before, or the one after.
  for (int y : {year + 1, year, year - 1}) {
    const auto monday = week_one_monday(y);
    if (day >= monday) return IsoWeek{y, static_cast<int>((day - monday).count() / 7) + 1};
  }
  return IsoWeek{year - 1, 1};  // unreachable: a day is always in one of the three
}

WeekSpan span_of(IsoWeek w, std::chrono::minutes utc_offset) {
  const sys_days monday = week_one_monday(w.year) + days{7 * (w.week - 1)};
  const TimePoint start = TimePoint(monday) - utc_offset;
  return {start, start + days{7}};
}

TimePoint summary_due(IsoWeek w, std::chrono::minutes utc_offset, int due_weekday,
                      std::chrono::minutes due_time) {
  const auto next_monday = span_of(w, utc_offset).end;
  // Days after Monday: Monday 0, Tuesday 1, ... Sunday 6.
  const int after_monday = (due_weekday + 6) % 7;
  return next_monday + days{after_monday} + due_time;
}

}  // namespace baomi::services
