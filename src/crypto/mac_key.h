// MacKey: a key that can only compute keyed hashes (hash.h's keyed_hash32, BLAKE2b-256). The
// barrier hands the fingerprint keys out as MacKeys (like a Tink primitive rather than a
// keyset): services pass them to the marking layer, which tags and recognises copies with
// them, but nothing above the barrier can read the key bytes, seal with them, store or log them.
// Move-only; const methods may be called concurrently.
#pragma once

#include <string_view>

#include "crypto/secret_key.h"
#include "crypto/types.h"

namespace baomi::crypto {

class MacKey {
 public:
  explicit MacKey(SecretKey key) : key_(std::move(key)) {}

  Bytes keyed_hash32(BytesView data) const;
  Bytes keyed_hash32(std::string_view data) const;

 private:
  SecretKey key_;
};

}  // namespace baomi::crypto
