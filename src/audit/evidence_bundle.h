// Signed evidence bundles (S10, I1): one deterministic ustar file that a disciplinary committee
// can check without Baomi, holding
//   manifest.json        the caller's case data (case, evidence hashes, matches, timeline, …)
//                        plus "format" and the list of audit seqs it relies on
//   tree-head.json       ONE signed tree head that covers every listed entry
//   signature.json       the audit key's fingerprint and its Ed25519 signature over
//                        manifest + tree head (bundle_message)
//   entries/<seq>.bin    each entry's chain-hash input: raw(prev_hash) || canonical bytes
//   proofs/<seq>.json    its RFC 9162 inclusion proof against that tree head
//   consistency.json     only when asked for since a tree size M that an auditor kept: the
//                        RFC 9162 consistency proof from M to the tree head, so a verifier
//                        holding the signed head of size M proves the trail only grew since
// docs/audit-format.md gives the exact bytes; tools/verify_bundle.py is a second verifier
// written from that document alone. Building (evidence_bundle.cc) reads the store; verifying
// (evidence_verify.cc) needs only the bundle and the public key. Functions are thread-safe.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "audit/entry.h"
#include "audit/tree_head.h"
#include "core/result.h"
#include "core/time.h"
#include "storage/store.h"

namespace baomi::audit {

inline constexpr std::string_view kBundleDomain = "baomi-evidence-v1";
inline constexpr std::size_t kMaxBundleEntries = 10000;

// What the caller (an investigation, an audit excerpt) vouches for.
struct BundleInput {
  // The case data, serialised as given (member order kept) between "format" and "audit_seqs";
  // must not itself hold those two keys.
  boost::json::object content;
  // The audit entries the content relies on; sorted and de-duplicated by the builder.
  std::vector<std::uint64_t> seqs;
  // The size of a signed tree head the auditor kept: the bundle's tree head is then at least
  // that large and the bundle carries a consistency proof from it (1 <= since <= trail size).
  std::optional<std::uint64_t> since_tree_size;
};

// field("baomi-evidence-v1") || field(manifest.json bytes) || tree_head_message(th): the bytes
// the bundle signature covers.
Bytes bundle_message(std::span<const std::uint8_t> manifest, const TreeHead& th);
// Lowercase hex SHA-256 of the 32-byte public key: names the key inside a bundle.
std::string public_key_fingerprint(std::span<const std::uint8_t> public_key);

// Builds the bundle against the OLDEST stored tree head covering every seq, so the same input
// gives the same bytes however much the trail grows later. invalid_argument for bad seqs or
// content; not_found when no signed tree head covers the newest seq yet.
Result<Bytes> build_evidence_bundle(storage::ReadTx& tx, const AuditLog& signer,
                                    const BundleInput& input);
Result<Bytes> build_evidence_bundle(barrier::ReadTx& tx, const AuditLog& signer,
                                    const BundleInput& input);
// The same, after signing a checkpoint (and tree head) when none covers the seqs yet: what a
// service calls. The checkpoint is its own write job; building is one read snapshot.
Result<Bytes> make_evidence_bundle(const barrier::SealedStore& store, const AuditLog& signer,
                                   const BundleInput& input, TimePoint now);

struct BundleReport {
  bool ok = false;
  std::string problem;  // the first problem found; empty when ok
  TreeHead tree_head;
  std::string key_fingerprint;        // of the key that signed the tree head and the manifest
  std::uint64_t key_transitions = 0;  // followed from the supplied key to that signer (I1)
  std::string manifest_sha256;
  std::vector<AuditEntry> entries;  // proven entries, in seq order (prev_hash and hash set)
  // The kept tree head's size, when one was given and the bundle's trail extends it.
  std::optional<std::uint64_t> kept_tree_size;
};

// Checks every byte of `bundle` against `public_key32`, stopping at the first problem. With
// `kept_tree_head` (the bytes of a tree-head.json the auditor kept from an earlier bundle),
// also checks that head's signature and that the bundle's trail is an append-only extension
// of it (same root at the same size, or the bundle's consistency proof from its size).
BundleReport verify_evidence_bundle(
    std::span<const std::uint8_t> bundle, std::span<const std::uint8_t> public_key32,
    std::optional<std::span<const std::uint8_t>> kept_tree_head = std::nullopt);

}  // namespace baomi::audit
