// The transactions services work in. A service gets a ReadTx or WriteTx from SealedStore and
// hands it to the barrier (Records<T>, content streams, counters, blind indexes) and to the
// audit log; it cannot reach the storage engine through it: the engine's transaction stays
// inside, and only barrier/engine_access.h (which services, auth and http never include:
// LayeringTest) opens it. So "the barrier is the one way to storage" is checked by the
// compiler, not by inspection.
// Thread-safety: a transaction is confined to its job, like the engine's.
#pragma once

#include <functional>

#include "core/histogram.h"
#include "core/result.h"

namespace baomi::storage {
class ReadTx;
class WriteTx;
class Store;
}  // namespace baomi::storage

namespace baomi::barrier {

class EngineAccess;
class SealedStore;

class ReadTx {
 public:
  ReadTx(const ReadTx&) = delete;
  ReadTx& operator=(const ReadTx&) = delete;

 protected:
  explicit ReadTx(storage::ReadTx& engine) : engine_(&engine) {}
  ~ReadTx() = default;

 private:
  friend class EngineAccess;
  storage::ReadTx* engine_;
};

class WriteTx : public ReadTx {
 private:
  friend class EngineAccess;
  explicit WriteTx(storage::WriteTx& engine);
  storage::WriteTx* writer_;
};

// A read-only view of a read job: what a ReadTx becomes when it is the job's whole transaction.
class ReadOnlyTx final : public ReadTx {
 private:
  friend class EngineAccess;
  using ReadTx::ReadTx;
};

// The store as services see it: jobs over barrier transactions (storage/store.h says how
// writes are group-committed and reads isolated). Cheap to copy: it refers to the engine.
class SealedStore {
 public:
  using ReadJob = std::function<Result<void>(ReadTx&)>;
  using WriteJob = std::function<Result<void>(WriteTx&)>;

  // Implicit, so that a Runtime can be built from the engine that cmd opened.
  SealedStore(storage::Store& engine) : engine_(&engine) {}  // NOLINT(google-explicit-constructor)

  // Returns after the job's effects are durable (or it failed and left none).
  Result<void> write(WriteJob job) const;
  Result<void> read(const ReadJob& job) const;

  // Group commit as it goes in this process (for /metrics): jobs per durable commit, and how
  // long each commit took (its jobs, the commit and its sync).
  static const Histogram& commit_batch_sizes();
  static const Histogram& commit_durations();

 private:
  friend class EngineAccess;
  storage::Store* engine_;
};

}  // namespace baomi::barrier
