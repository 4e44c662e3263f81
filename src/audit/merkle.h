// The audit Merkle tree (I1, S10): RFC 9162 (Certificate Transparency v2) §2.1 hashing over the
// audit entries, alongside the hash chain. Leaf i is entry seq i+1; its leaf data is the 32 raw
// bytes of that entry's chain hash, so the tree commits to the chain as well.
//   leaf hash = SHA-256(0x00 || entry hash)      node hash = SHA-256(0x01 || left || right)
// Proofs are generated from perfect-subtree hashes supplied by a NodeReader (the store keeps
// them, so a proof costs O(log n) reads), and verified with RFC 9162 §2.1.3.2 / §2.1.4.2.
// docs/audit-format.md gives the exact bytes and test vectors. Pure functions; thread-safe.
// MerkleFrontier is a value type, not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "audit/chain.h"
#include "core/result.h"

namespace baomi::audit {

// SHA-256(0x00 || data): the RFC 9162 leaf hash of any leaf data.
RawHash merkle_leaf_hash(const std::uint8_t* data, std::size_t size);
// The leaf hash of an entry whose chain hash is `entry_hash`.
inline RawHash merkle_leaf_hash(const RawHash& entry_hash) {
  return merkle_leaf_hash(entry_hash.data(), entry_hash.size());
}
// SHA-256(0x01 || left || right).
RawHash merkle_node_hash(const RawHash& left, const RawHash& right);
// The root of the empty tree: SHA-256 of no bytes.
RawHash merkle_empty_root();

// The hash of the perfect subtree at `level` (0 = leaves) and `index`, covering leaves
// [index << level, (index + 1) << level). Must only be asked for subtrees inside the tree.
using NodeReader = std::function<Result<RawHash>(unsigned level, std::uint64_t index)>;

// MTH(D[0:size]); the empty root for size 0.
Result<RawHash> merkle_root(std::uint64_t size, const NodeReader& read);
// RFC 9162 PATH(index, D[0:size]), deepest sibling first. Requires index < size.
Result<std::vector<RawHash>> inclusion_proof(std::uint64_t index, std::uint64_t size,
                                             const NodeReader& read);
// RFC 9162 PROOF(m, D[0:n]). Requires 0 < m <= n; empty when m == n.
Result<std::vector<RawHash>> consistency_proof(std::uint64_t m, std::uint64_t n,
                                               const NodeReader& read);

// RFC 9162 §2.1.3.2: does `proof` show leaf `leaf_hash` at `index` in the tree of `size`
// leaves with root `root`?
bool verify_inclusion(std::uint64_t index, std::uint64_t size, const RawHash& leaf_hash,
                      std::span<const RawHash> proof, const RawHash& root);
// RFC 9162 §2.1.4.2: is the tree of size n (root_n) an append-only extension of the tree of
// size m (root_m)? 0 < m <= n; for m == n the proof must be empty and the roots equal.
bool verify_consistency(std::uint64_t m, std::uint64_t n, std::span<const RawHash> proof,
                        const RawHash& root_m, const RawHash& root_n);

// The compact range of a growing tree: one perfect-subtree hash per set bit of its size, so
// the root of the leaves so far costs O(log n) hashes and appending is amortised O(1).
class MerkleFrontier {
 public:
  // Called for each perfect subtree of level >= 1 that `append` completes.
  using OnNode = std::function<void(unsigned level, std::uint64_t index, const RawHash& hash)>;

  void append(const RawHash& leaf_hash, const OnNode& on_node = {});
  std::uint64_t size() const { return size_; }
  RawHash root() const;

 private:
  std::vector<RawHash> stack_;  // perfect subtrees, largest (leftmost) first
  std::uint64_t size_ = 0;
};

}  // namespace baomi::audit
