#include "audit/verify.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "audit/checkpoint.h"

namespace baomi::audit {

namespace {

std::string seq_text(std::uint64_t seq) { return std::to_string(seq); }

}  // namespace

ChainVerifier::ChainVerifier(Bytes public_key32) : public_key_(std::move(public_key32)) {
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

bool ChainVerifier::fail(std::uint64_t seq, std::string problem) {
  failed_ = true;
  report_.first_bad_seq = seq;
  report_.problem = std::move(problem);
  return false;
}

bool ChainVerifier::feed(const AuditEntry& e) {
  if (failed_) return false;
  RawHash computed;
  if (!check_sequence(e) || !check_links(e, computed)) return false;
  prev_ = computed;
  last_seq_ = e.seq;
  ++report_.entries;
  return check_checkpoints_at(e.seq, computed);
}

bool ChainVerifier::check_sequence(const AuditEntry& e) {
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

bool ChainVerifier::check_links(const AuditEntry& e, RawHash& computed) {
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
  if (public_key_.size() != kPublicKeySize) {
    return fail(cp.seq,
                "the audit public key is not a 32-byte Ed25519 key; checkpoints "
                "cannot be verified");
  }
  if (!verify_checkpoint(cp, public_key_.data())) {
    return fail(cp.seq, "checkpoint at seq " + seq_text(cp.seq) +
                            " has an invalid signature (forged or altered checkpoint)");
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
  report_.ok = !failed_;
  report_.head = to_hex(prev_.data(), prev_.size());
  return report_;
}

}  // namespace baomi::audit
