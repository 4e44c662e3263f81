// BLAKE2b-256 (libsodium generichash): plain, incremental and keyed. Used for the audit hash
// chain and, keyed, for blind indexes and token/audit hashes. Free functions are stateless and
// thread-safe; a Hasher is not thread-safe.
#pragma once

#include <sodium.h>

#include <cstddef>
#include <string_view>

#include "crypto/secret_key.h"
#include "crypto/types.h"

namespace baomi::crypto {

inline constexpr std::size_t kHashSize = 32;

Bytes hash32(BytesView data);
Bytes hash32(std::string_view data);
// MAC-strength keyed hash: without the key nobody can compute or test guesses against it.
Bytes keyed_hash32(const SecretKey& key, BytesView data);
Bytes keyed_hash32(const SecretKey& key, std::string_view data);

class Hasher {
 public:
  Hasher();
  void update(BytesView data);
  void update(std::string_view data) { update(bytes_of(data)); }
  // Returns the 32-byte digest; the Hasher must not be used afterwards.
  Bytes finish();

 private:
  crypto_generichash_state state_;
  bool finished_ = false;
};

}  // namespace baomi::crypto
