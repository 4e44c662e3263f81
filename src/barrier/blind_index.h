// BlindIndex: plain declared rows that map a keyed hash (Barrier::blind_index) to the id of the
// record holding that value, for exact-match search on sealed fields (C3). The rows decide
// nothing and carry no MAC: a search must keep only records that themselves hold the value, so
// an edited row can hide a match but never reveal one. The table has three text columns, all
// in its key, in this order: the kind of value, the hash, the owner's id; and an index on the
// owner, so that one owner's rows are replaced together.
// Thread-safety: stateless; use inside a store job.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "barrier/transaction.h"
#include "core/result.h"
#include "storage/table.h"

namespace baomi::barrier {

class BlindIndex {
 public:
  explicit BlindIndex(const storage::Table& table);

  // Owner ids whose `kind` value hashes to `hash`, ordered by id, at most `limit`.
  Result<std::vector<std::string>> find(ReadTx& tx, const std::string& kind,
                                        const std::string& hash, std::size_t limit) const;
  // Makes `entries` ({kind, hash} pairs) the owner's whole set of rows.
  Result<void> replace(WriteTx& tx, const std::string& owner,
                       const std::vector<std::pair<std::string, std::string>>& entries) const;

 private:
  const storage::Table& table_;
};

}  // namespace baomi::barrier
