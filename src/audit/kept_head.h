// A stored trail checked against a signed tree head that an auditor kept (I1, S10): the trail
// must hold at least as many entries as the kept head covers, and its first tree_size entries
// must hash to the kept root. A restore from an old backup then shows as a truncation, and a
// rewritten trail as a fork, instead of passing as a healthy, shorter trail. Used by `baomi
// restore --kept-tree-head` and `baomi audit verify --kept-tree-head`. Thread-safety is that
// of the transaction.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "audit/key_transition.h"
#include "core/result.h"
#include "storage/store.h"

namespace baomi::audit {

enum class KeptHeadVerdict {
  kExtends,    // the trail holds the kept head's tree and possibly more
  kTruncated,  // the kept head covers entries the trail does not hold
  kForked,     // same size reached, different root: the trail was rewritten
  kUnusable,   // the kept head is malformed or not signed by the key
};

struct KeptHeadCheck {
  KeptHeadVerdict verdict = KeptHeadVerdict::kUnusable;
  std::uint64_t kept_size = 0;
  std::string problem;  // a sentence for the operator; empty when kExtends
};

// `trail_size`: the number of entries that verified (VerifyReport::entries); `root_hex`: their
// Merkle root. Errors are storage failures only.
Result<KeptHeadCheck> check_kept_tree_head(storage::ReadTx& tx, std::uint64_t trail_size,
                                           std::string_view root_hex,
                                           std::span<const std::uint8_t> public_key32,
                                           std::span<const std::uint8_t> kept_tree_head_json);
// The same after key rotations: `keys` is the chain the verifier followed
// (VerifyReport::signing_keys); the kept head must be signed by the key in force at its size.
Result<KeptHeadCheck> check_kept_tree_head(storage::ReadTx& tx, std::uint64_t trail_size,
                                           std::string_view root_hex,
                                           const std::vector<KeyEpoch>& keys,
                                           std::span<const std::uint8_t> kept_tree_head_json);

}  // namespace baomi::audit
