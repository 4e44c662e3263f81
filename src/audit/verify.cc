#include "audit/verify.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "audit/checkpoint.h"

namespace baomi::audit {

namespace {

std::string seq_text(std::uint64_t seq) { return std::to_string(seq); }

}  // namespace

ChainVerifier::ChainVerifier(Bytes public_key32) : keys_(std::move(public_key32)) {
  scratch_.reserve(512);
}

void ChainVerifier::add_checkpoints(std::vector<Checkpoint> cps) {
  if (last_seq_ != 0 || failed_) {
    throw std::logic_error("ChainVerifier::add_checkpoints called after feed()");
  }
  checkpoints_.insert(checkpoints_.end(), std::make_move_iterator(cps.begin()),
                      std::make_move_iterator(cps.end()));
  std::stable_sort(checkpoints_.begin(), checkpoints_.end(),
                   [](const Checkpoint& a, const Checkpoint& b) { return a.seq < b.seq; });
}

void ChainVerifier::add_tree_heads(std::vector<TreeHead> ths) {
  if (last_seq_ != 0 || failed_) {
    throw std::logic_error("ChainVerifier::add_tree_heads called after feed()");
  }
  tree_heads_.insert(tree_heads_.end(), std::make_move_iterator(ths.begin()),
                     std::make_move_iterator(ths.end()));
  std::stable_sort(tree_heads_.begin(), tree_heads_.end(),
                   [](const TreeHead& a, const TreeHead& b) { return a.tree_size < b.tree_size; });
}

void ChainVerifier::check_stored_nodes(StoredNodeLookup lookup) {
  stored_nodes_ = std::move(lookup);
}

std::string ChainVerifier::key_note() const {
  if (keys_.epochs().size() == 1) return "";
  return "; the key in force is " + key_fingerprint(keys_.current()).substr(0, 16) + "…, after " +
         seq_text(keys_.epochs().size() - 1) + " key transition(s) from the trusted key";
}

bool ChainVerifier::fail(std::uint64_t seq, std::string problem) {
  failed_ = true;
  report_.first_bad_seq = seq;
  report_.problem = std::move(problem);
  return false;
}

bool ChainVerifier::feed(const AuditEntryView& e) {
  if (failed_) return false;
  RawHash computed;
  if (!check_sequence(e) || !check_links(e, computed)) return false;
  if (is_key_transition(e) && !follow_key_transition(e)) return false;
  prev_ = computed;
  last_seq_ = e.seq;
  ++report_.entries;
  return check_checkpoints_at(e.seq, computed) && grow_tree(e.seq, computed) &&
         check_tree_heads_at(e.seq, computed);
}

bool ChainVerifier::follow_key_transition(const AuditEntryView& e) {
  // I1: from here on checkpoints and tree heads are signed by the new key, which only the key in
  // force may name (and which must countersign, binding it to this place in the trail).
  auto t = parse_key_transition_detail(e.seq, e.prev_hash, e.detail);
  if (!t) {
    return fail(e.seq, "key transition at seq " + seq_text(e.seq) +
                           " is malformed (its detail must name both keys and carry both "
                           "signatures)");
  }
  if (auto problem = keys_.follow(*t)) return fail(e.seq, std::move(*problem));
  return true;
}

bool ChainVerifier::grow_tree(std::uint64_t seq, const RawHash& entry_hash) {
  bool ok = true;
  frontier_.append(merkle_leaf_hash(entry_hash), [&](unsigned level, std::uint64_t index,
                                                     const RawHash& node) {
    if (!ok || !stored_nodes_) return;
    const bool stored = stored_nodes_(level, index, stored_node_);
    if (stored && std::equal(node.begin(), node.end(), stored_node_.begin(), stored_node_.end())) {
      return;
    }
    // The nodes were written with the entries: either the entries were
    // rewritten (and re-hashed) since, or the tree table was altered.
    ok = fail(seq, "stored Merkle tree node (level " + seq_text(level) + ", index " +
                       seq_text(index) + ") " +
                       (stored ? "does not match the entries up to seq "
                               : "is missing, covering entries up to seq ") +
                       seq_text(seq) +
                       " (entries rewritten since they were stored, or the "
                       "tree table altered)");
  });
  return ok;
}

bool ChainVerifier::tree_head_signature_ok(const TreeHead& th) {
  const Bytes& key = keys_.current();
  if (key.size() != kPublicKeySize || !verify_tree_head(th, key.data())) {
    return fail(th.tree_size, "tree head of size " + seq_text(th.tree_size) +
                                  " has an invalid signature (forged or altered tree head, or "
                                  "signed by a key the chain of key transitions does not reach)" +
                                  key_note());
  }
  return true;
}

bool ChainVerifier::check_tree_heads_at(std::uint64_t seq, const RawHash& entry_hash) {
  while (next_tree_head_ < tree_heads_.size() && tree_heads_[next_tree_head_].tree_size <= seq) {
    const TreeHead& th = tree_heads_[next_tree_head_++];
    if (th.tree_size < seq) {  // only size 0 can get here
      return fail(th.tree_size, "tree head names size " + seq_text(th.tree_size) +
                                    ", an empty tree that no checkpoint makes");
    }
    if (!tree_head_signature_ok(th)) return false;
    const RawHash root = frontier_.root();
    RawHash signed_root, signed_head;
    if (!decode_lower_hex(th.root_hash, signed_root.data(), signed_root.size()) ||
        signed_root != root) {
      return fail(seq, "signed tree head of size " + seq_text(seq) +
                           " does not match the Merkle root of entries 1.." + seq_text(seq) +
                           ": the trail was rewritten");
    }
    if (!decode_lower_hex(th.head, signed_head.data(), signed_head.size()) ||
        signed_head != entry_hash) {
      return fail(seq, "signed tree head of size " + seq_text(seq) +
                           " names a chain head that is not entry " + seq_text(seq) + "'s hash");
    }
    ++report_.tree_heads_verified;
  }
  return true;
}

void ChainVerifier::check_tail_tree_head() {
  if (failed_ || next_tree_head_ >= tree_heads_.size()) return;
  const TreeHead& th = tree_heads_[next_tree_head_];
  if (th.tree_size <= last_seq_) {  // only size 0 can get here
    fail(th.tree_size, "tree head names size " + seq_text(th.tree_size) +
                           ", an empty tree that no checkpoint makes");
  } else if (tree_head_signature_ok(th)) {
    fail(last_seq_ + 1, "entries missing after " + seq_text(last_seq_) +
                            ": a signed tree head has size " + seq_text(th.tree_size));
  }
}

bool ChainVerifier::check_sequence(const AuditEntryView& e) {
  // I1: a gap means a deleted row, a smaller seq a reordered or replayed one. Both are
  // reported at the expected seq: the first place the trail differs from an intact one.
  const std::uint64_t expected = last_seq_ + 1;
  if (e.seq == expected) return true;
  if (e.seq > expected) {
    return fail(expected, "entry " + seq_text(expected) + " is missing: found seq " +
                              seq_text(e.seq) + " instead (deleted, or entries reordered)");
  }
  return fail(expected, "entries out of order: expected seq " + seq_text(expected) +
                            ", found seq " + seq_text(e.seq) + " (reordered or duplicated)");
}

bool ChainVerifier::check_links(const AuditEntryView& e, RawHash& computed) {
  RawHash stored;
  if (!decode_lower_hex(e.prev_hash, stored.data(), stored.size()) || stored != prev_) {
    return fail(e.seq, "entry " + seq_text(e.seq) +
                           ": prev_hash does not match the hash of the entry before it");
  }
  computed = compute_entry_hash_raw(prev_, e, scratch_);
  // I1: any edited field changes the recomputed hash; a non-canonical stored hash is an edit too.
  if (!decode_lower_hex(e.hash, stored.data(), stored.size()) || stored != computed) {
    return fail(e.seq, "entry " + seq_text(e.seq) +
                           ": stored hash does not match its contents (entry was altered)");
  }
  return true;
}

bool ChainVerifier::check_checkpoints_at(std::uint64_t seq, const RawHash& entry_hash) {
  while (next_checkpoint_ < checkpoints_.size() && checkpoints_[next_checkpoint_].seq <= seq) {
    const Checkpoint& cp = checkpoints_[next_checkpoint_++];
    if (cp.seq < seq) {  // only seq 0 can get here: every other seq was an entry
      return fail(cp.seq, "checkpoint names seq " + seq_text(cp.seq) + ", which no entry has");
    }
    if (!check_checkpoint(cp, entry_hash)) return false;
  }
  return true;
}

bool ChainVerifier::signature_ok(const Checkpoint& cp) {
  if (keys_.current().size() != kPublicKeySize) {
    return fail(cp.seq,
                "the audit public key is not a 32-byte Ed25519 key; checkpoints "
                "cannot be verified");
  }
  if (!verify_checkpoint(cp, keys_.current().data())) {
    return fail(cp.seq, "checkpoint at seq " + seq_text(cp.seq) +
                            " has an invalid signature (forged or altered checkpoint, or signed "
                            "by a key the chain of key transitions does not reach)" +
                            key_note());
  }
  return true;
}

bool ChainVerifier::check_checkpoint(const Checkpoint& cp, const RawHash& entry_hash) {
  if (!signature_ok(cp)) return false;
  RawHash head;
  if (!decode_lower_hex(cp.head, head.data(), head.size()) || head != entry_hash) {
    // The chain is self-consistent yet differs from what the key signed: it was rewritten.
    return fail(cp.seq, "signed checkpoint at seq " + seq_text(cp.seq) +
                            " does not match that entry's hash: entries after seq " +
                            seq_text(last_checkpoint_seq_) + " up to " + seq_text(cp.seq) +
                            " were rewritten");
  }
  last_checkpoint_seq_ = cp.seq;
  ++report_.checkpoints_verified;
  return true;
}

VerifyReport ChainVerifier::finish() {
  if (!failed_ && next_checkpoint_ < checkpoints_.size()) {
    // A genuine checkpoint beyond the last entry proves the tail was cut off; a forged one
    // proves nothing, so the signature is checked first.
    const Checkpoint& cp = checkpoints_[next_checkpoint_];
    if (cp.seq <= last_seq_) {  // only seq 0 can get here
      fail(cp.seq, "checkpoint names seq " + seq_text(cp.seq) + ", which no entry has");
    } else if (signature_ok(cp)) {
      fail(last_seq_ + 1, "entries missing after " + seq_text(last_seq_) +
                              ": a signed checkpoint names seq " + seq_text(cp.seq));
    }
  }
  check_tail_tree_head();
  report_.ok = !failed_;
  report_.signing_keys = keys_.epochs();
  report_.head = to_hex(prev_.data(), prev_.size());
  const RawHash root = frontier_.root();
  report_.root_hash = to_hex(root.data(), root.size());
  return report_;
}

}  // namespace baomi::audit
