// AEAD for small values (fields, key wrapping): XChaCha20-Poly1305-IETF with a random 24-byte
// nonce prepended to the output. Random 192-bit nonces cannot collide in practice, so one key
// may seal any number of values. Stateless; safe from any thread.
#pragma once

#include <cstddef>

#include "core/result.h"
#include "crypto/secret_key.h"
#include "crypto/types.h"

namespace baomi::crypto {

inline constexpr std::size_t kAeadNonceSize = 24;
inline constexpr std::size_t kAeadTagSize = 16;
inline constexpr std::size_t kAeadOverhead = kAeadNonceSize + kAeadTagSize;

// Returns nonce || ciphertext || tag; `ad` is authenticated, not stored.
Bytes aead_seal(const SecretKey& key, BytesView plaintext, BytesView ad);
// kIntegrity on any failure (too short, wrong key, wrong ad, any modified byte).
Result<Bytes> aead_open(const SecretKey& key, BytesView sealed, BytesView ad);

}  // namespace baomi::crypto
