// CustomerWatch (C4, C2): counts, per account, the distinct customers viewed or unmasked within
// the policy's watch window and the searches within its search window. When a count goes
// above its threshold it says so once; it stays quiet for that account and count until a
// whole window has passed since (then a still-high count alerts again).
// The counts of an account (WatchCounts) are a sealed object in the store, read and written in
// the job of the read's own audit entry (watch_store.h), so that every server process on one
// database counts the same reads, a restart forgets nothing, and the store's one writer makes
// a crossing raise exactly one alert. Time is an input. Pure: no state of its own.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"
#include "policy/records.h"

namespace baomi::services::customers {

// One account's recent reads. Bounded: enough entries to decide a crossing and no more (the
// most recent threshold + 1 customers and searches).
struct WatchCounts {
  std::map<std::string, TimePoint> seen;  // customer id -> last read, within the window
  std::vector<TimePoint> searches;        // within the search window, oldest first
  std::optional<TimePoint> view_alert_at;
  std::optional<TimePoint> search_alert_at;
};

class CustomerWatch {
 public:
  explicit CustomerWatch(const policy::CustomerSettings& settings) : settings_(settings) {}

  // Records that the account of `counts` read these customers at `now`; the alert sentence
  // (no personal data, e.g. "31 distinct customers viewed within 1h") when this read crosses
  // the threshold.
  std::optional<std::string> viewed(WatchCounts& counts,
                                    const std::vector<std::string>& customer_ids,
                                    TimePoint now) const;
  // Records one search at `now`; the alert sentence when it crosses the threshold.
  std::optional<std::string> searched(WatchCounts& counts, TimePoint now) const;

 private:
  policy::CustomerSettings settings_;
};

// "1h", "10min", "90s": how alert sentences name a window.
std::string window_text(std::chrono::seconds window);

}  // namespace baomi::services::customers
