// Shamir's secret sharing of a 32-byte key over GF(2^8) (Debian's libgfshare; no finite-field
// code of our own): split_key() makes N shares of which any K rebuild the key and K-1 reveal
// nothing about it. Share values live in secure memory (secure_buffer.h). The framing that
// tells one instance's shares from another's is barrier/key_share.h. Stateless; safe from any
// thread.
#pragma once

#include <cstdint>
#include <vector>

#include "core/result.h"
#include "crypto/secret_key.h"
#include "crypto/secure_buffer.h"

namespace baomi::crypto {

struct KeyShare {
  std::uint8_t index = 0;  // the share's x coordinate, 1..255; distinct within one split
  SecureBuffer value{SecretKey::kSize};
};

inline constexpr int kMaxKeyShares = 255;

// kInvalidArgument unless 1 <= threshold <= shares <= kMaxKeyShares. Shares are numbered 1..N.
Result<std::vector<KeyShare>> split_key(const SecretKey& key, int shares, int threshold);

// Rebuilds the key from exactly the threshold's number of shares with distinct indexes
// (kInvalidArgument for none, a zero or a repeated index). Fewer shares than the split's
// threshold, or a share of another split, give a different key: the caller checks the result
// (the key ring refuses a wrong master key).
Result<SecretKey> combine_key(const std::vector<const KeyShare*>& shares);

}  // namespace baomi::crypto
