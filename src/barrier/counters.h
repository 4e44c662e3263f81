// Counters: named integers kept as sealed records (MACed, in the record ledger), for values whose
// rollback would let two things share one number, such as the serial numbers copies carry (S7:
// an artifact names exactly one copy). A counter put back to an older value, or removed, is
// refused on read like any replayed record (I1). Every set() must be committed to by an audit
// entry in the same job, as for any record.
// A counter never set reads as the big-endian integer in the storage meta value of the same
// name (where instances kept it before this layer), else 0.
// Thread-safety: stateless beyond its reference; use inside a store job.
#pragma once

#include <cstdint>
#include <string>

#include "barrier/barrier.h"
#include "barrier/record_type.h"
#include "barrier/transaction.h"
#include "core/result.h"

namespace baomi::barrier {

struct CounterRecord {
  std::string name;
  std::uint64_t value = 0;
  std::uint64_t revision = 0;
};

// The one declaration of the `counters` table.
const RecordType<CounterRecord>& counter_record_type();

class Counters {
 public:
  explicit Counters(const Barrier& barrier) : barrier_(barrier) {}

  Result<std::uint64_t> get(ReadTx& tx, const std::string& name) const;
  Result<void> set(WriteTx& tx, const std::string& name, std::uint64_t value) const;

 private:
  const Barrier& barrier_;
};

}  // namespace baomi::barrier
