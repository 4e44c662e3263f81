// SecretKey: exactly 32 bytes of symmetric key material in secure memory (secure_slab.h), wiped on
// destruction. Move-only so key bytes are never copied by accident; clone() is the one explicit
// way to duplicate a key. Thread-safety: const methods may be called concurrently.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/result.h"
#include "crypto/secure_buffer.h"
#include "crypto/types.h"

namespace baomi::crypto {

class SecretKey {
 public:
  static constexpr std::size_t kSize = 32;

  static SecretKey generate();
  // kInvalidArgument unless `bytes` is exactly kSize long.
  static Result<SecretKey> from_bytes(BytesView bytes);

  SecretKey clone() const;
  const std::uint8_t* data() const { return buf_.data(); }
  BytesView view() const { return {buf_.data(), kSize}; }
  // Constant time (sodium_memcmp).
  bool equals(const SecretKey& other) const;

 private:
  SecretKey() : buf_(kSize) {}
  SecureBuffer buf_;
};

}  // namespace baomi::crypto
