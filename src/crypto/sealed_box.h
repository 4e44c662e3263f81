// Sealed boxes (libsodium crypto_box_seal: X25519 + XSalsa20-Poly1305 with an ephemeral sender
// key): encrypting a secret to a person's public key, so that only the holder of the matching
// secret key opens it. Used for key shares handed to their holders (docs/operations.md, "Key
// shares encrypted to their holders"). Stateless functions; safe from any thread.
#pragma once

#include <cstddef>

#include "core/result.h"
#include "crypto/secure_buffer.h"
#include "crypto/types.h"

namespace baomi::crypto {

inline constexpr std::size_t kBoxPublicKeySize = 32;
inline constexpr std::size_t kBoxSecretKeySize = 32;

struct BoxKeyPair {
  Bytes public_key;
  SecureBuffer secret_key;
};

BoxKeyPair box_keypair();
// The public key of a secret key (X25519 base-point multiplication); kInvalidArgument for a
// wrong size.
Result<Bytes> box_public_key_of(BytesView secret_key);
// kInvalidArgument unless `public_key` is 32 bytes.
Result<Bytes> seal_to(BytesView public_key, BytesView message);
// kIntegrity when `sealed` was not sealed to this key pair or was altered.
Result<SecureBuffer> open_sealed(BytesView public_key, BytesView secret_key, BytesView sealed);

}  // namespace baomi::crypto
