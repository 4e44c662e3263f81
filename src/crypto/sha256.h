// Incremental SHA-256 (libsodium), used to report upload digests to clients in the form they
// can check with sha256sum. Not thread-safe.
#pragma once

#include <sodium.h>

#include <string>
#include <string_view>

#include "crypto/types.h"

namespace baomi::crypto {

class Sha256 {
 public:
  Sha256();
  void update(BytesView data);
  void update(std::string_view data) { update(bytes_of(data)); }
  // Lowercase hex of the digest; the object must not be used afterwards.
  std::string hex_digest();

 private:
  crypto_hash_sha256_state state_;
  bool finished_ = false;
};

}  // namespace baomi::crypto
