// TrailCursor: how far a consumer that follows the trail (the alert sink) has got, kept in the
// store beside the trail. The value carries a MAC (Barrier::row_mac), so it cannot be moved
// forward from outside to make the consumer skip entries (e.g. hide alerts from a SOC); put
// back to an older value it only makes the consumer repeat entries, which consumers tolerate.
// Thread-safety: stateless beyond its references; use inside a store job.
#pragma once

#include <cstdint>
#include <string>

#include "barrier/barrier.h"
#include "barrier/transaction.h"
#include "core/result.h"

namespace baomi::audit {

class TrailCursor {
 public:
  TrailCursor(std::string name, const barrier::Barrier& barrier)
      : name_(std::move(name)), barrier_(barrier) {}

  // The seq the consumer has handled up to; 0 before its first set(). kIntegrity when the
  // stored value is not one this instance wrote.
  Result<std::uint64_t> get(barrier::ReadTx& tx) const;
  Result<void> set(barrier::WriteTx& tx, std::uint64_t seq) const;

 private:
  std::string mac_of(std::uint64_t seq) const;
  std::string name_;
  const barrier::Barrier& barrier_;
};

}  // namespace baomi::audit
