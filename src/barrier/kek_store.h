// The stored half of KEK rotation (docs/operations.md, "Key rotation"): the KEK records in the
// store, and the durable progress of the background rewrap, which a restart (or another server
// instance) resumes where it stopped. The service half (services/keys/kek_rotation.h) decides,
// audits and schedules.
// The progress is a plain meta entry: it grants nothing. Whoever can write the database could
// make a rewrap stop early or start again, which leaves keys under an older KEK (still opened
// by the master key's KEKs, and counted by `baomi keys status`), never reveals a key.
// Thread-safety: stateless; use inside a store job.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "barrier/barrier.h"
#include "barrier/transaction.h"
#include "core/result.h"
#include "core/time.h"
#include "storage/store.h"
#include "storage/table.h"

namespace baomi::barrier {

struct KekRewrapProgress {
  std::uint32_t target = 0;           // the KEK version the rotation made current
  std::int64_t started_us = 0;        // when the rotation began
  std::int64_t pass_started_us = 0;   // when the current pass over the key tables began
  std::uint64_t passes = 0;           // passes begun
  std::size_t table = 0;              // the key table the pass is in (an index)
  std::optional<storage::Row> after;  // the last row done in that table
  std::uint64_t rewrapped = 0;        // keys rewrapped since the rotation began
  std::uint64_t pass_rewrapped = 0;   // in the current pass
};

// Every stored KEK record.
Result<std::vector<KekRecord>> stored_keks(storage::ReadTx& tx);
Result<std::vector<KekRecord>> stored_keks(ReadTx& tx);
// Stores a fresh KEK one version above the highest stored one; the barrier adopts it when the
// job has committed (Barrier::adopt_keks), never before.
Result<KekRecord> store_new_kek(WriteTx& tx, const Barrier& barrier);

// The rewrap in progress, nullopt when none runs. `tables` are the key tables, for the cursor.
Result<std::optional<KekRewrapProgress>> load_rewrap_progress(
    ReadTx& tx, const std::vector<const storage::Table*>& tables);
// Stores `progress`, or that no rewrap runs (nullopt).
Result<void> save_rewrap_progress(WriteTx& tx, const std::optional<KekRewrapProgress>& progress,
                                  const std::vector<const storage::Table*>& tables);

// Whether `holder` holds the lease on `duty` at `now` (storage/lease.h), as read in `tx`: a
// rewrap batch checks it inside its own write job, so two instances never both rewrap.
Result<bool> holds_duty(ReadTx& tx, const std::string& duty, const std::string& holder,
                        TimePoint now);

}  // namespace baomi::barrier
