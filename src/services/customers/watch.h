// CustomerWatch (C4, C2): counts, per account, the distinct customers viewed or unmasked within
// the policy's watch window and the searches within its search window, and says when a read
// takes a count above its threshold (a crossing: the count, its sentence and the audit seqs of
// the reads it counts). Whether a crossing raises a new alert or updates the open one of its
// episode is the shared episode rule's business (services/watch/episode.h), applied by the
// store side (watch_store.h) with the episodes kept beside these counts.
// The counts of an account (WatchCounts) are a sealed object in the store, read and written in
// the job of the read's own audit entry (watch_store.h), so that every server process on one
// database counts the same reads, a restart forgets nothing, and the store's one writer makes
// a crossing raise exactly one alert. Time is an input. Pure: no state of its own.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"
#include "policy/records.h"

namespace baomi::services::customers {

// One counted act: when, and the seq of its audit entry.
struct Seen {
  TimePoint at;
  std::uint64_t seq = 0;
};

// One account's recent reads. Bounded: enough entries to decide a crossing and no more (the
// most recent threshold + 1 customers and searches).
struct WatchCounts {
  std::map<std::string, Seen> seen;  // customer id -> last read, within the window
  std::vector<Seen> searches;        // within the search window, oldest first
};

// A count above its threshold: what the alert says (counts and a window, no personal data).
struct WatchCrossing {
  std::string sentence;  // e.g. "31 distinct customers viewed within 1h"
  std::uint64_t count = 0;
  std::chrono::seconds window{0};
  std::vector<std::uint64_t> seqs;  // the audit entries of the counted reads, oldest first
};

class CustomerWatch {
 public:
  explicit CustomerWatch(const policy::CustomerSettings& settings) : settings_(settings) {}

  // Records that the account of `counts` read these customers at `now` (audit entry `seq`);
  // the crossing when the read adds a customer and the count is then above the threshold
  // (re-reading customers already counted crosses nothing).
  std::optional<WatchCrossing> viewed(WatchCounts& counts,
                                      const std::vector<std::string>& customer_ids, TimePoint now,
                                      std::uint64_t seq = 0) const;
  // Records one search at `now`; the crossing when the count is then above the threshold.
  std::optional<WatchCrossing> searched(WatchCounts& counts, TimePoint now,
                                        std::uint64_t seq = 0) const;

  std::chrono::seconds view_window() const { return settings_.watch_window; }
  std::chrono::seconds search_window() const { return settings_.watch_search_window; }

 private:
  policy::CustomerSettings settings_;
};

// "1h", "10min", "90s": how alert sentences name a window.
std::string window_text(std::chrono::seconds window);

}  // namespace baomi::services::customers
