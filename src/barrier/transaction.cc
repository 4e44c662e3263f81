#include "barrier/transaction.h"

#include "barrier/engine_access.h"
#include "storage/write_queue.h"

namespace baomi::barrier {

Result<void> SealedStore::write(WriteJob job) const {
  return engine_->write([job = std::move(job)](storage::WriteTx& engine_tx) -> Result<void> {
    return EngineAccess::with(engine_tx, job);
  });
}

Result<void> SealedStore::read(const ReadJob& job) const {
  return engine_->read([&job](storage::ReadTx& engine_tx) -> Result<void> {
    return EngineAccess::with(engine_tx, job);
  });
}

const Histogram& SealedStore::commit_batch_sizes() {
  return storage::group_commit_stats().batch_jobs;
}

const Histogram& SealedStore::commit_durations() {
  return storage::group_commit_stats().commit_seconds;
}

}  // namespace baomi::barrier
