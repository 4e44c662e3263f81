// AlertSink (issue 11): delivers each raised alert as one JSON line to the policy's
// `alerts.sink` (a file, or syslog) for a SOC's log shipper. It follows the committed trail: the
// `alert.raise` entries after its cursor (audit::TrailCursor: kept in the store, MACed), so a line
// is written only for an alert whose transaction committed, never for one rolled back, and after a
// restart it goes on where it stopped. The caller holds the "alert_sink" lease, so with several
// server processes on one database each alert is delivered by one of them. Delivery is at least
// once: a crash between the write and the cursor's advance repeats the line (its `id` tells). A
// line names the alert's id, kind, rule, account, counts, window, audit seqs and time; never a
// title, name, note, finding, detail sentence or other personal data.
// The file is opened append-only, created 0600, never followed through a symlink; a file that
// others may read is refused. Failures are logged and counted, and never reach a request: the
// watches that raise alerts do not wait for the sink.
// Thread-compatible: one AlertSink, used from one thread.
#pragma once

#include <cstdint>
#include <string>

#include "auth/runtime.h"

namespace baomi::services {

class AlertSink {
 public:
  // `target`: "syslog" or an absolute file path (policy alerts.sink).
  AlertSink(const auth::Runtime& rt, std::string target);
  ~AlertSink();
  AlertSink(const AlertSink&) = delete;
  AlertSink& operator=(const AlertSink&) = delete;

  // Whether alerts were raised after the cursor (a read, cheap: ask before taking the lease).
  Result<bool> pending() const;
  // Writes the lines of the alerts raised after the cursor (a batch) and advances it; the number
  // of lines written. On a write failure the cursor stays, so the next call tries again.
  Result<std::size_t> deliver();

  std::uint64_t failures() const { return failures_; }

 private:
  Result<void> write_lines(const std::string& lines);

  const auth::Runtime& rt_;
  std::string target_;
  std::uint64_t failures_ = 0;
};

}  // namespace baomi::services
