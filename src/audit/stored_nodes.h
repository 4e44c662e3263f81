// The stored nodes of the audit Merkle tree in the order `audit verify` compares them (each
// level's indexes 0, 1, 2, ... as the entries complete them), read as one range per level and
// batch instead of one point read per node: on a long trail that is about one statement per
// thousand nodes instead of one per entry. Memory: one batch per level (about 17 levels for a
// million entries).
// Not thread-safe; use inside the read job that verifies, one per verification.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/bytes.h"
#include "core/result.h"
#include "storage/store.h"

namespace baomi::audit {

class StoredNodesInOrder {
 public:
  explicit StoredNodesInOrder(storage::ReadTx& tx) : tx_(tx) {}

  // The stored node (level >= 1, index) into `node`; false when there is none or it could not
  // be read (then error() says why). Indexes of a level must be asked for in increasing order.
  bool get(unsigned level, std::uint64_t index, Bytes& node);
  // The first read that failed, when one did: the verdict is then unknown, not "tampered".
  const std::optional<Error>& error() const { return error_; }

 private:
  struct Node {
    std::uint64_t index = 0;
    std::size_t offset = 0;  // into Level::hashes
    std::size_t size = 0;
  };
  struct Level {
    std::vector<Node> nodes;  // one batch, by index
    Bytes hashes;
    std::size_t next = 0;                     // into nodes
    std::uint64_t covered_from = 0;           // the batch covers [covered_from, covered_to)
    std::optional<std::uint64_t> covered_to;  // nullopt: to the end of the level
    bool loaded = false;
  };
  bool load(Level& level, unsigned number, std::uint64_t from);

  storage::ReadTx& tx_;
  std::vector<Level> levels_;
  std::optional<Error> error_;
};

}  // namespace baomi::audit
