// Offline verification of the audit trail (I1): the same code serves the auditor's
// `baomi audit verify` and the server's GET /audit/verify. Entries are streamed in seq order in
// constant memory (plus the checkpoint list); the first problem found is reported.
// A ChainVerifier is single-use and not thread-safe; use one per verification run.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "audit/chain.h"
#include "audit/entry.h"
#include "audit/key_transition.h"
#include "audit/merkle.h"
#include "audit/tree_head.h"
#include "core/bytes.h"

namespace baomi::audit {

struct VerifyReport {
  bool ok = false;
  std::uint64_t entries = 0;  // entries that passed every chain check
  std::string head;           // hex hash of the last such entry; genesis_hash() when none
  std::optional<std::uint64_t> first_bad_seq;
  std::string problem;                     // human sentence; empty when ok
  std::uint64_t checkpoints_verified = 0;  // signature valid and head matched its entry
  std::uint64_t tree_heads_verified = 0;   // signature valid, root and head matched the trail
  std::string root_hash;                   // hex Merkle root of the entries that passed
  // The trusted first key, then one epoch per key transition followed (I1: the chain of keys).
  std::vector<KeyEpoch> signing_keys;
};

class ChainVerifier {
 public:
  // `public_key32`: the trusted first audit key; key transitions in the trail lead from it to
  // the keys of later checkpoints and tree heads (audit/key_transition.h).
  explicit ChainVerifier(Bytes public_key32);

  // All known checkpoints, in any order; call before the first feed() (else std::logic_error).
  void add_checkpoints(std::vector<Checkpoint> cps);
  // All known signed tree heads, in any order; same rule as add_checkpoints.
  void add_tree_heads(std::vector<TreeHead> ths);
  // Compares every perfect subtree the entries complete (level >= 1) with the stored node that
  // `lookup` puts into `node` (returning false: missing). Nodes are asked for in the order the
  // entries complete them: each level's indexes 0, 1, 2, ... Optional; call before the first
  // feed().
  using StoredNodeLookup = std::function<bool(unsigned level, std::uint64_t index, Bytes& node)>;
  void check_stored_nodes(StoredNodeLookup lookup);
  // Entries in seq order. Returns false once a problem is found; then stop feeding.
  bool feed(const AuditEntryView& e);
  bool feed(const AuditEntry& e) { return feed(view_of(e)); }
  // Also checks every checkpoint matched an entry and carries a valid signature.
  VerifyReport finish();

 private:
  bool check_sequence(const AuditEntryView& e);
  bool check_links(const AuditEntryView& e, RawHash& computed);
  bool follow_key_transition(const AuditEntryView& e);
  bool check_checkpoints_at(std::uint64_t seq, const RawHash& entry_hash);
  bool check_checkpoint(const Checkpoint& cp, const RawHash& entry_hash);
  bool signature_ok(const Checkpoint& cp);
  bool grow_tree(std::uint64_t seq, const RawHash& entry_hash);
  bool check_tree_heads_at(std::uint64_t seq, const RawHash& entry_hash);
  bool tree_head_signature_ok(const TreeHead& th);
  void check_tail_tree_head();
  bool fail(std::uint64_t seq, std::string problem);
  std::string key_note() const;  // which key was expected, once keys have been rotated

  SigningKeyChain keys_;
  std::vector<Checkpoint> checkpoints_;  // sorted by seq
  std::size_t next_checkpoint_ = 0;
  std::vector<TreeHead> tree_heads_;  // sorted by tree_size
  std::size_t next_tree_head_ = 0;
  MerkleFrontier frontier_;
  StoredNodeLookup stored_nodes_;
  RawHash prev_{};  // raw hash of the last good entry; zeros = genesis
  std::uint64_t last_seq_ = 0;
  std::uint64_t last_checkpoint_seq_ = 0;  // last checkpoint that verified, for messages
  Bytes scratch_;                          // reused canonical-bytes buffer: no allocation per entry
  Bytes stored_node_;                      // reused for each stored node compared
  VerifyReport report_;
  bool failed_ = false;
};

}  // namespace baomi::audit
