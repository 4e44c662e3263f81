#include "services/watch/off_hours.h"

#include <algorithm>

namespace baomi::services::watch {
namespace {

using std::chrono::minutes;

constexpr minutes kDay{24 * 60};

// Minutes since the local midnight of `t`, and that midnight as a time point.
std::pair<minutes, TimePoint> local_clock(const policy::Policy& policy, TimePoint t) {
  const auto offset = policy.centre().utc_offset;
  const auto local = t + offset;
  const auto midnight_local = std::chrono::floor<std::chrono::days>(local);
  const auto into = std::chrono::duration_cast<minutes>(local - midnight_local);
  return {into, TimePoint(midnight_local - offset)};
}

}  // namespace

ShiftAt shift_at(const policy::Policy& policy, TimePoint t) {
  auto shifts = policy.handovers().shifts;
  std::sort(shifts.begin(), shifts.end(),
            [](const auto& a, const auto& b) { return a.start < b.start; });
  const auto [into, midnight] = local_clock(policy, t);
  // The last shift starting at or before `into`; before the first start, yesterday's last one.
  auto next = std::upper_bound(shifts.begin(), shifts.end(), into,
                               [](minutes m, const auto& s) { return m < s.start; });
  const auto& current = next == shifts.begin() ? shifts.back() : *(next - 1);
  const auto end_offset = next == shifts.end() ? shifts.front().start + kDay : next->start;
  return {current.name, midnight + end_offset};
}

std::optional<ShiftAt> off_hours_at(const policy::Policy& policy, TimePoint t) {
  const auto& off = policy.watch().off_hours_shifts;
  if (off.empty()) return std::nullopt;
  auto at = shift_at(policy, t);
  if (std::find(off.begin(), off.end(), at.name) == off.end()) return std::nullopt;
  return at;
}

TimePoint local_day_end(const policy::Policy& policy, TimePoint t) {
  return local_clock(policy, t).second + kDay;
}

std::string local_date(const policy::Policy& policy, TimePoint t) {
  return format_date(t + policy.centre().utc_offset);
}

}  // namespace baomi::services::watch
