// The customer watch's counts in the store (C4): one sealed object per account (kind
// "customer_watch", id = the account's id), read and written inside the write job of the read
// it counts, so every server process on the database counts every read once and the store's
// single writer (one advisory lock across processes on PostgreSQL) orders the crossings.
// Thread-safety: stateless beyond its references; use inside a write job.
#pragma once

#include <string>
#include <vector>

#include "auth/runtime.h"
#include "barrier/transaction.h"
#include "services/customers/watch.h"

namespace baomi::services::customers {

// Counts this read of `account` (customers viewed, and a search when `searched`) and returns
// the alert sentences of the thresholds it crosses.
Result<std::vector<std::string>> count_read(const auth::Runtime& rt, const CustomerWatch& watch,
                                            barrier::WriteTx& tx, const std::string& account,
                                            const std::vector<std::string>& viewed, bool searched,
                                            TimePoint now);

}  // namespace baomi::services::customers
