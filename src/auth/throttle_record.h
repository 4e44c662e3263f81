// The login throttle's states in the store (S9, issue 13): one record per (source, name) pair
// and per source, keyed by a keyed hash (no address or name in clear in the key), holding the
// LoginThrottle state as compact JSON of times and counts (name keys are keyed hashes already),
// MAC'd like every declared record. Several server processes on one database read and write
// the same records, so a name failing through one instance is refused through all, and a
// spraying source is blocked everywhere. Records idle for longer than any window or refusal
// period are erased by the logins that pass by (ThrottleStore::erase_idle).
// Thread-safety: stateless over the Runtime; use inside the caller's transaction.
#pragma once

#include <optional>
#include <string>

#include "auth/login_throttle.h"
#include "auth/runtime.h"
#include "barrier/record_type.h"

namespace baomi::auth {

struct ThrottleRecord {
  std::string key;    // keyed hash of "pair\n<source>\n<name key>" or "source\n<source>"
  std::string state;  // the state as JSON
  TimePoint updated_at;
};

const barrier::RecordType<ThrottleRecord>& throttle_record_type();

// The stored states of one pair and its source.
struct ThrottleStates {
  std::optional<LoginThrottle::PairState> pair;
  std::optional<LoginThrottle::SourceState> source;
};

class ThrottleStore {
 public:
  explicit ThrottleStore(const Runtime& rt) : rt_(rt) {}

  Result<ThrottleStates> load(barrier::ReadTx& tx, const std::string& source,
                              const std::string& name_key) const;
  // Stores the states (an absent pair state erases the pair's record).
  Result<void> save(barrier::WriteTx& tx, const std::string& source, const std::string& name_key,
                    const ThrottleStates& states, TimePoint now) const;
  // Erases up to `max` records untouched since `before` (nothing in them can refuse anyone).
  Result<std::size_t> erase_idle(barrier::WriteTx& tx, TimePoint before, std::size_t max) const;

 private:
  std::string pair_key(const std::string& source, const std::string& name_key) const;
  std::string source_key(const std::string& source) const;
  const Runtime& rt_;
};

}  // namespace baomi::auth
