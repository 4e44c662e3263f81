// ChunkCipher: AES-256-GCM (OpenSSL EVP, AES-NI) for content chunks, keeping one keyed context
// per direction so each call only sets the nonce. The 96-bit nonce is the big-endian chunk
// counter (4 zero bytes || u64 counter).
//
// SAFETY: counter nonces are safe ONLY because every content stream (one document version)
// gets a fresh random key that is used for exactly that one stream, and each counter is sealed
// once. Never reuse a key for a second stream and never seal the same counter twice.
//
// Not thread-safe: use one ChunkCipher per stream.
#pragma once

#include <openssl/types.h>  // EVP_CIPHER_CTX, without the full EVP API

#include <cstddef>
#include <cstdint>

#include "core/result.h"
#include "crypto/secret_key.h"
#include "crypto/types.h"

namespace baomi::crypto {

class ChunkCipher {
 public:
  static constexpr std::size_t kTagSize = 16;

  explicit ChunkCipher(const SecretKey& key);
  ~ChunkCipher();
  ChunkCipher(const ChunkCipher&) = delete;
  ChunkCipher& operator=(const ChunkCipher&) = delete;

  // out = ciphertext || 16-byte tag. `out` must not alias `plaintext`.
  void seal(std::uint64_t counter, BytesView plaintext, BytesView ad, Bytes& out);
  // out = plaintext, or kIntegrity (and `out` cleared) if anything was modified.
  Result<void> open(std::uint64_t counter, BytesView sealed, BytesView ad, Bytes& out);

 private:
  EVP_CIPHER_CTX* enc_ = nullptr;
  EVP_CIPHER_CTX* dec_ = nullptr;
};

}  // namespace baomi::crypto
