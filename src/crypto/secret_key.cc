#include "crypto/secret_key.h"

#include <sodium.h>

#include <cstring>

namespace baomi::crypto {

SecretKey SecretKey::generate() {
  SecretKey key;
  randombytes_buf(key.buf_.data(), kSize);
  return key;
}

Result<SecretKey> SecretKey::from_bytes(BytesView bytes) {
  if (bytes.size() != kSize) return Error::invalid("key", "a secret key must be exactly 32 bytes");
  SecretKey key;
  std::memcpy(key.buf_.data(), bytes.data(), kSize);
  return key;
}

SecretKey SecretKey::clone() const {
  SecretKey key;
  std::memcpy(key.buf_.data(), buf_.data(), kSize);
  return key;
}

bool SecretKey::equals(const SecretKey& other) const {
  return sodium_memcmp(buf_.data(), other.buf_.data(), kSize) == 0;
}

}  // namespace baomi::crypto
