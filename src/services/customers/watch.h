// CustomerWatch (C4, C2): counts, per account, the distinct customers viewed or unmasked within
// the policy's watch window and the searches within its search window. When a count goes
// above its threshold it says so once; it stays quiet for that account and count until a
// whole window has passed since (then a still-high count alerts again).
// The state is in memory, per process, and time is an input: a restart forgets recent reads,
// which only delays an alert (the audit trail keeps every read; see docs/customers.md).
// Thread-safe: one mutex guards all counts, so concurrent views never raise two alerts.
#pragma once

#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/time.h"
#include "policy/records.h"

namespace baomi::services::customers {

class CustomerWatch {
 public:
  explicit CustomerWatch(const policy::CustomerSettings& settings) : settings_(settings) {}

  // Records that `account` read these customers at `now`; the alert sentence (no personal
  // data, e.g. "31 distinct customers viewed within 1h") when this read crosses the threshold.
  std::optional<std::string> viewed(const std::string& account,
                                    const std::vector<std::string>& customer_ids, TimePoint now);
  // Records one search by `account` at `now`; the alert sentence when it crosses the threshold.
  std::optional<std::string> searched(const std::string& account, TimePoint now);

 private:
  struct Counts {
    std::unordered_map<std::string, TimePoint> seen;  // customer id -> last read
    std::deque<TimePoint> searches;
    std::optional<TimePoint> view_alert_at;
    std::optional<TimePoint> search_alert_at;
  };
  void forget_idle(TimePoint now);  // drops accounts with nothing left in their windows

  policy::CustomerSettings settings_;
  std::mutex mu_;
  std::unordered_map<std::string, Counts> accounts_;
};

// "1h", "10min", "90s": how alert sentences name a window.
std::string window_text(std::chrono::seconds window);

}  // namespace baomi::services::customers
