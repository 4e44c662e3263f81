// Key shares of the master key as people hold them (K-of-N unseal, docs/operations.md):
//   baomi-share-<hex of: version 1 | seal id (8) | threshold (1) | index (1) | value (32) | check
//   (4)>
// The check (the first 4 bytes of BLAKE2b over the rest) catches a mistyped or damaged share;
// the seal id names one split of one instance, so a share of another instance, or of a set
// replaced by `baomi operator rekey`, is recognised as such; the share digests of SealConfig
// (kept beside the instance, KEYDIR/seal.json) recognise a well-formed share that is not one of
// this split's. None of this reveals anything about the master key. Plain values and
// stateless functions; safe from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "crypto/shamir.h"
#include "crypto/types.h"

namespace baomi::barrier {

inline constexpr std::uint8_t kShareFormatVersion = 1;
inline constexpr std::size_t kSealIdSize = 8;
using SealId = std::array<std::uint8_t, kSealIdSize>;

// What the instance keeps about its current split (no secret: digests and counts).
struct SealConfig {
  SealId seal_id{};
  int shares = 0;
  int threshold = 0;
  std::vector<Bytes> share_digests;  // [index - 1]: share_digest() of each share
};

struct ParsedShare {
  SealId seal_id{};
  int threshold = 0;
  crypto::KeyShare share;
};

// A fresh split of `master`: its config and each share's text, in index order.
struct Split {
  SealConfig config;
  std::vector<std::string> share_texts;
};
Result<Split> split_master_key(const crypto::SecretKey& master, int shares, int threshold);

// The text of one share (what `baomi init` prints or writes to a share file).
std::string share_text(const SealId& seal_id, int threshold, const crypto::KeyShare& share);

// Parses a share's text (surrounding white space ignored). Errors, all kInvalidArgument and safe
// to show: "malformed_share" (not a Baomi share, or an unknown format version), "corrupt_share"
// (the check value does not match: mistyped or damaged).
Result<ParsedShare> parse_share(std::string_view text);

// Checks a parsed share against this instance's split: "foreign_share" (another instance's, or
// a replaced set's), "wrong_share" (well-formed but not one of this split's shares).
Result<void> check_share(const SealConfig& config, const ParsedShare& share);

// A share encrypted to its holder's X25519 public key (init/rekey --share-public-key), so that
// the share file is nothing to whoever copies it on its way or from the holder's disk:
//   baomi-sealed-share-<hex of crypto_box_seal(share text, holder's public key)>
inline constexpr std::string_view kSealedSharePrefix = "baomi-sealed-share-";
Result<std::string> encrypt_share(std::string_view share_text, crypto::BytesView public_key);
bool is_encrypted_share(std::string_view text);
// The share's text back with the holder's secret key (white space around `text` ignored).
// kInvalidArgument "malformed_share" when it is not an encrypted share, "wrong_secret_key"
// when it was not encrypted to this key (or was altered).
Result<std::string> decrypt_share(std::string_view text, crypto::BytesView secret_key);

// BLAKE2b-256 binding the share's value to its seal id and index.
Bytes share_digest(const SealId& seal_id, const crypto::KeyShare& share);

}  // namespace baomi::barrier
