// The file layout of an evidence bundle (docs/audit-format.md#evidence-bundles), shared by the
// builder (evidence_bundle.cc) and the verifier (evidence_verify.cc). Internal to the audit layer.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "audit/chain.h"
#include "crypto/sha256.h"

namespace baomi::audit::bundle {

inline constexpr const char* kManifestFile = "manifest.json";
inline constexpr const char* kTreeHeadFile = "tree-head.json";
inline constexpr const char* kSignatureFile = "signature.json";
// Present only when the bundle was asked for since a kept tree head (since_tree_size).
inline constexpr const char* kConsistencyFile = "consistency.json";
// Present only when the audit signing key was rotated within the tree head's size: the
// transitions (audit/key_transition.h) leading from the verifier's key to the tree head's signer.
inline constexpr const char* kKeyTransitionsFile = "key-transitions.json";

inline std::string entry_file(std::uint64_t seq) {
  return "entries/" + std::to_string(seq) + ".bin";
}
inline std::string proof_file(std::uint64_t seq) {
  return "proofs/" + std::to_string(seq) + ".json";
}
inline std::string hex(const RawHash& h) { return to_hex(h.data(), h.size()); }
inline std::string sha256_hex(std::span<const std::uint8_t> data) {
  crypto::Sha256 digest;
  digest.update(data);
  return digest.hex_digest();
}

}  // namespace baomi::audit::bundle
