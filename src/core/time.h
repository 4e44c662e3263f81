// Time as a value. Nothing below services reads the clock on its own: callers pass `now`
// in, so decisions and expiry are testable without sleeping.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace baomi {

using Clock = std::chrono::system_clock;
using TimePoint = std::chrono::time_point<Clock, std::chrono::microseconds>;

inline TimePoint now_utc() {
  return std::chrono::time_point_cast<std::chrono::microseconds>(Clock::now());
}
inline std::int64_t to_micros(TimePoint t) { return t.time_since_epoch().count(); }
inline TimePoint from_micros(std::int64_t us) {
  return TimePoint(std::chrono::microseconds(us));
}

// RFC 3339 UTC with a trailing Z; microseconds are shown only when non-zero.
std::string format_rfc3339(TimePoint t);
// Accepts "YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)" and a bare date "YYYY-MM-DD" (midnight UTC).
std::optional<TimePoint> parse_rfc3339(std::string_view s);
// "YYYY-MM-DD" of the UTC day containing t.
std::string format_date(TimePoint t);

}  // namespace baomi
