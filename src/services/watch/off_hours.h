// Off hours (issue 11): which shift of handovers.shifts a moment falls in, in the centre's
// local time (centre.utc_offset), and when that shift ends. A shift runs from its start to the
// next shift's start (the last one wraps past midnight to the first). Pure.
#pragma once

#include <optional>
#include <string>

#include "core/time.h"
#include "policy/policy.h"

namespace baomi::services::watch {

struct ShiftAt {
  std::string name;  // e.g. "night"
  TimePoint ends;    // the next shift's start after the moment
};

ShiftAt shift_at(const policy::Policy& policy, TimePoint t);

// The shift `t` falls in when the policy names it as off hours (watch.off_hours.shifts).
std::optional<ShiftAt> off_hours_at(const policy::Policy& policy, TimePoint t);

// The end of the centre's local day of `t` (the next local midnight), and that day's date.
TimePoint local_day_end(const policy::Policy& policy, TimePoint t);
std::string local_date(const policy::Policy& policy, TimePoint t);

}  // namespace baomi::services::watch
