// RefusalLog: the operator's record of refused and cut connections that an attacker cannot turn
// into a flood of its own. Per source it writes at most one line per interval: the first
// refusal at once, later ones counted and written (with their counts per reason) once the
// interval has passed, by the next note() or by flush(). It tracks at most `max_sources`
// sources; refusals from any further source are summed under the source "*". Thread-safe; the
// sink is called without the log's lock held, from whichever thread noted or flushed.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "http/server/refusal.h"

namespace baomi::http {

class RefusalLog {
 public:
  using Clock = std::chrono::steady_clock;
  using Sink = std::function<void(const std::string& line)>;

  RefusalLog(std::chrono::seconds interval, std::size_t max_sources, Sink sink)
      : interval_(interval), max_sources_(max_sources), sink_(std::move(sink)) {}

  void note(const std::string& source, Refusal why, Clock::time_point now);
  // Writes the counts held back for sources whose interval has passed and forgets sources that
  // stayed quiet for a whole interval. With `everything`, writes all held-back counts now.
  void flush(Clock::time_point now, bool everything = false);
  std::size_t tracked() const;

 private:
  struct Entry {
    Clock::time_point last_line;
    RefusalCounts pending{};
    bool has_pending() const;
  };
  static std::string line_for(const std::string& source, const RefusalCounts& counts);

  const std::chrono::seconds interval_;
  const std::size_t max_sources_;
  const Sink sink_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> sources_;
};

// One JSON line to stderr, never interleaved with other lines of this process's logs.
void log_line_to_stderr(const std::string& line);

}  // namespace baomi::http
