// The one door between a barrier transaction and the storage engine's, for the code that seals,
// MACs and chains what it writes: the barrier itself, the audit log, and the tools in cmd/ that
// work on an engine directly (verify, migrate, baseline). Services, auth and http never include
// this header (LayeringTest fails the build's tests if one does).
#pragma once

#include "barrier/transaction.h"
#include "storage/store.h"

namespace baomi::barrier {

class EngineAccess {
 public:
  static storage::ReadTx& engine(ReadTx& tx) { return *tx.engine_; }
  static storage::WriteTx& engine(WriteTx& tx) { return *tx.writer_; }
  static storage::Store& engine(const SealedStore& store) { return *store.engine_; }

  // Runs fn with a barrier transaction over an engine transaction a tool already holds.
  template <typename Fn>
  static decltype(auto) with(storage::ReadTx& engine_tx, Fn&& fn) {
    ReadOnlyTx tx(engine_tx);
    return fn(static_cast<ReadTx&>(tx));
  }
  template <typename Fn>
  static decltype(auto) with(storage::WriteTx& engine_tx, Fn&& fn) {
    WriteTx tx(engine_tx);
    return fn(tx);
  }
};

inline WriteTx::WriteTx(storage::WriteTx& engine) : ReadTx(engine), writer_(&engine) {}

}  // namespace baomi::barrier
