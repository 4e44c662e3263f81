// Signed tree heads (I1, S10): an Ed25519 signature by the audit key over the Merkle tree of the
// first `tree_size` entries (its root), the chain head (hash of entry `tree_size`) and a time.
// Every checkpoint comes with one, so checkpoints are signed tree heads as in RFC 9162 while the
// older chain-only signature stays for existing verifiers. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/bytes.h"

namespace baomi::audit {

inline constexpr std::string_view kTreeHeadDomain = "baomi-tree-head-v1";

struct TreeHead {
  std::uint64_t tree_size = 0;  // entries 1..tree_size are the leaves
  std::string root_hash;        // lowercase hex Merkle root (merkle.h)
  std::string head;             // lowercase hex chain hash of entry `tree_size`
  std::int64_t time_us = 0;     // when it was signed (µs since the epoch, UTC)
  std::string signature;        // lowercase hex Ed25519 signature over tree_head_message()
};

// field("baomi-tree-head-v1") || u64(tree_size) || field(root hex) || field(head hex)
// || u64(time_us): the exact signed bytes (docs/audit-format.md).
Bytes tree_head_message(const TreeHead& th);

// Signs with a libsodium Ed25519 secret key (64 bytes).
TreeHead sign_tree_head(std::uint64_t tree_size, std::string_view root_hex,
                        std::string_view head_hex, std::int64_t time_us,
                        const std::uint8_t* ed25519_secret_key64);

// True only if th.signature is canonical lowercase hex of a valid signature by the key.
bool verify_tree_head(const TreeHead& th, const std::uint8_t* public_key32);

// A tree-head.json as evidence bundles carry it (docs/audit-format.md): tree_size, root_hash,
// head, time_us, signature; nullopt when malformed (the signature is not checked here).
std::optional<TreeHead> parse_tree_head_json(std::span<const std::uint8_t> data);

}  // namespace baomi::audit
