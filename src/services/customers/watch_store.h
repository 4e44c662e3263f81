// The customer watch's counts in the store (C4): one sealed object per account (kind
// "customer_watch", id = the account's id), read and written inside the write job of the read
// it counts, so every server process on the database counts every read once and the store's
// single writer (one advisory lock across processes on PostgreSQL) orders the crossings.
// Beside the counts the record keeps the episodes of the account's two customer_watch alerts
// (viewing, searching): one alert per episode, updated while open, a new one once it was
// acknowledged or closed or a whole window passed without a crossing (services/watch/episode.h,
// the same rule as the probing and read watches).
// Thread-safety: stateless beyond its references; use inside a write job.
#pragma once

#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "auth/runtime.h"
#include "barrier/transaction.h"
#include "services/customers/watch.h"

namespace baomi::services::customers {

// Counts this read of `account` (customers viewed, and a search when `searched`), whose audit
// entry will take `seq`, and raises or updates the alerts of the thresholds it crosses. Returns
// the alert.raise entries to append after the read's own entry (none when an open alert was
// only updated).
Result<std::vector<audit::AuditEvent>> count_read(const auth::Runtime& rt,
                                                  const CustomerWatch& watch, barrier::WriteTx& tx,
                                                  const std::string& account,
                                                  const std::vector<std::string>& viewed,
                                                  bool searched, TimePoint now, std::uint64_t seq);

}  // namespace baomi::services::customers
