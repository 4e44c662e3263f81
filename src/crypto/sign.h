// Ed25519 signatures (libsodium), used for audit checkpoints that outsiders verify with the
// exported public key. The secret key lives in secure memory (secure_slab.h). SigningKey is
// move-only; its const methods may be called concurrently. verify_signature is stateless.
#pragma once

#include <cstddef>
#include <string_view>

#include "core/result.h"
#include "crypto/secure_buffer.h"
#include "crypto/types.h"

namespace baomi::crypto {

class SigningKey {
 public:
  static constexpr std::size_t kSeedSize = 32;
  static constexpr std::size_t kPublicKeySize = 32;
  static constexpr std::size_t kSignatureSize = 64;

  static SigningKey generate();
  // kInvalidArgument unless `seed32` is exactly 32 bytes.
  static Result<SigningKey> from_seed(BytesView seed32);

  // The 32-byte seed is the whole secret: persist it only in a private key file.
  Bytes seed() const;
  Bytes public_key() const;
  // 64-byte detached signature.
  Bytes sign(BytesView msg) const;
  Bytes sign(std::string_view msg) const { return sign(bytes_of(msg)); }

 private:
  SigningKey();
  SecureBuffer sk_;  // libsodium's 64-byte form: seed || public key
};

// False for wrong sizes, a bad signature or a modified message.
bool verify_signature(BytesView public_key32, BytesView msg, BytesView sig64);

}  // namespace baomi::crypto
