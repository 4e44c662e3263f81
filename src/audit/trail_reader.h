// Reading the trail back, for the auditors' API and investigation timelines: services ask the
// audit layer, never the engine's audit tables themselves.
// Thread-safety: stateless; use inside a store job.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/result.h"
#include "storage/store.h"

namespace baomi::audit {

// Entries matching `q`, in seq order (storage::AuditQuery: filters, cursor, limit).
Result<std::vector<storage::AuditRow>> query_trail(storage::ReadTx& tx,
                                                   const storage::AuditQuery& q);
// The seq of the last entry; 0 for an empty trail.
Result<std::uint64_t> trail_size(storage::ReadTx& tx);

// The latest signed checkpoint, with the signed tree head of the same size when there is one
// (trails from before the Merkle tree have none).
struct SignedHead {
  storage::CheckpointRow checkpoint;
  std::optional<storage::TreeHeadRow> tree_head;
};
Result<std::optional<SignedHead>> latest_signed_head(storage::ReadTx& tx);

}  // namespace baomi::audit
