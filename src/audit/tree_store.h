// The audit Merkle tree as stored (I1, S10): perfect-subtree hashes of level >= 1 are written in
// the same transaction as the entry that completes them (so a tree never lags its trail, also
// under group commit: a job rolled back to its savepoint takes its nodes with it), and leaves
// are derived from the entries' chain hashes. Roots and proofs then cost O(log n) reads.
// Free functions over a transaction; thread-safety is that of the transaction.
#pragma once

#include <cstdint>

#include "audit/merkle.h"
#include "barrier/transaction.h"
#include "storage/store.h"

namespace baomi::audit {

// Reads perfect subtrees from `tx`; a missing or malformed node is an integrity error.
NodeReader stored_node_reader(storage::ReadTx& tx);

// Stores the nodes completed by appending the entry `seq` with chain hash `entry_hash`;
// `prev_entry_hash` is the hash of entry seq - 1 (ignored for seq 1).
Result<void> extend_tree(storage::WriteTx& tx, std::uint64_t seq, const RawHash& entry_hash,
                         const RawHash& prev_entry_hash);

// Root of the first `size` entries from the stored nodes.
Result<RawHash> stored_root(storage::ReadTx& tx, std::uint64_t size);

// True when every node a trail of `size` entries needs is stored (O(log n) reads).
Result<bool> tree_complete(storage::ReadTx& tx, std::uint64_t size);

struct InclusionProof {
  std::uint64_t seq = 0;
  std::uint64_t tree_size = 0;
  RawHash leaf_hash{};
  std::vector<RawHash> audit_path;
  RawHash root_hash{};
};
struct ConsistencyProof {
  std::uint64_t from = 0;
  std::uint64_t to = 0;
  std::vector<RawHash> proof;
  RawHash from_root{};
  RawHash to_root{};
};

// Entry `seq` in the tree of the first `tree_size` entries. invalid_argument naming "seq" or
// "tree_size" unless 1 <= seq <= tree_size <= the trail's length.
Result<InclusionProof> prove_inclusion(storage::ReadTx& tx, std::uint64_t seq,
                                       std::uint64_t tree_size);
Result<InclusionProof> prove_inclusion(barrier::ReadTx& tx, std::uint64_t seq,
                                       std::uint64_t tree_size);
// The tree of `from` entries is a prefix of the tree of `to` entries. invalid_argument naming
// "from" or "to" unless 1 <= from <= to <= the trail's length.
Result<ConsistencyProof> prove_consistency(storage::ReadTx& tx, std::uint64_t from,
                                           std::uint64_t to);
Result<ConsistencyProof> prove_consistency(barrier::ReadTx& tx, std::uint64_t from,
                                           std::uint64_t to);

// Migration for trails older than the tree: when the stored tree does not cover the trail,
// rebuilds it from the entries in one write job. Returns the number of nodes written (0 when
// the tree was complete).
Result<std::uint64_t> ensure_tree(storage::Store& store);

}  // namespace baomi::audit
