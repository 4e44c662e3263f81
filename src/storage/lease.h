// Lease: which of several server processes on one database performs a periodic duty (the
// request and handover sweeps, timed checkpoints, space reclamation), so that each runs once,
// not once per instance. The lease is a meta entry naming its holder and an expiry; it is taken
// and renewed in a write job, so the engine's write serialisation decides between instances
// (SQLite's file lock, PostgreSQL's transaction). A holder that dies simply stops renewing: the
// next instance takes over once the expiry has passed. Clocks of the instances must agree to
// well within the time to live (NTP); a holder that is behind only shortens its own term.
// Thread-compatible: one Lease per holder and duty, used from one thread.
#pragma once

#include <chrono>
#include <string>

#include "core/result.h"
#include "core/time.h"
#include "storage/store.h"

namespace baomi::storage {

class Lease {
 public:
  Lease(Store& store, std::string duty, std::string holder, std::chrono::seconds ttl);

  // True when this holder has the duty until now + ttl: taken when free or expired, renewed
  // when already ours; false while another holder's term runs.
  Result<bool> acquire(TimePoint now);
  // Gives the duty up at once (a clean shutdown) so another instance need not wait out the term.
  Result<void> release();

  const std::string& holder() const { return holder_; }

  // Whether `holder` holds `duty` at `now` (its term runs), as read in `tx`.
  static Result<bool> runs(ReadTx& tx, const std::string& duty, const std::string& holder,
                           TimePoint now);

 private:
  Store& store_;
  std::string key_;
  std::string holder_;
  std::chrono::seconds ttl_;
};

}  // namespace baomi::storage
