// Reading the trail back, for the auditors' API and investigation timelines: services ask the
// audit layer, never the engine's audit tables themselves.
// Thread-safety: stateless; use inside a store job.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "audit/trail_tables.h"
#include "barrier/transaction.h"
#include "core/result.h"

namespace baomi::audit {

// The trail's row types, as services name them.
using audit::AuditQuery;
using audit::AuditRow;
using audit::CheckpointRow;
using audit::TreeHeadRow;

// Entries matching `q`, in seq order (AuditQuery: filters, cursor, limit).
Result<std::vector<AuditRow>> query_trail(barrier::ReadTx& tx, const AuditQuery& q);
// The seq of the last entry; 0 for an empty trail.
Result<std::uint64_t> trail_size(barrier::ReadTx& tx);

// The latest signed checkpoint, with the signed tree head of the same size when there is one
// (trails from before the Merkle tree have none).
struct SignedHead {
  CheckpointRow checkpoint;
  std::optional<TreeHeadRow> tree_head;
};
Result<std::optional<SignedHead>> latest_signed_head(barrier::ReadTx& tx);

}  // namespace baomi::audit
