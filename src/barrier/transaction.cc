#include "barrier/transaction.h"

#include "barrier/engine_access.h"

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

}  // namespace baomi::barrier
