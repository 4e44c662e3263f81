// The record ledger's baseline (I1, rollback detection). Rows written before the ledger existed
// (an instance upgraded from an earlier Baomi) have no recorded write, so an older copy of one
// put back could not be told from the row itself. At start-up each declared table is walked
// once: every row the ledger has no write for is recorded with its current MAC, in audited jobs
// ("records.baseline" by "system"), and the table is then marked baselined (a meta entry). From
// then on a row the ledger never saw is refused on read (barrier/records.h) and reported by
// verification (record_ledger.h). Safe to run from several instances at once: each page is
// one write job that re-checks what is recorded.
#pragma once

#include <cstddef>
#include <vector>

#include "audit/audit_log.h"
#include "core/result.h"
#include "core/time.h"
#include "storage/store.h"

namespace baomi::audit {

struct BaselineReport {
  std::size_t tables = 0;  // tables marked baselined by this call
  std::size_t rows = 0;    // rows recorded by this call
};

// `tables` are the declared tables; their MAC column is named "mac". `page` rows per job.
Result<BaselineReport> baseline_records(storage::Store& store, const AuditLog& log,
                                        const std::vector<const storage::Table*>& tables,
                                        TimePoint now, std::size_t page = 1000);

}  // namespace baomi::audit
