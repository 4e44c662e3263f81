#include "crypto/chunk_cipher.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <climits>
#include <stdexcept>

namespace baomi::crypto {

namespace {

using Nonce = std::array<unsigned char, 12>;

Nonce counter_nonce(std::uint64_t counter) {
  Nonce nonce{};  // first 4 bytes stay zero
  for (int i = 0; i < 8; ++i) nonce[4 + i] = static_cast<unsigned char>(counter >> (56 - 8 * i));
  return nonce;
}

// EVP takes int lengths; feed larger inputs in pieces so any size is handled correctly.
constexpr std::size_t kMaxPiece = std::size_t{1} << 30;

EVP_CIPHER_CTX* keyed_context(const SecretKey& key, int encrypt) {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  if (ctx == nullptr ||
      EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), nullptr, key.data(), nullptr, encrypt) != 1) {
    EVP_CIPHER_CTX_free(ctx);
    throw std::runtime_error("AES-256-GCM context initialisation failed");
  }
  return ctx;
}

// Sets the nonce and authenticates `ad`; false only on an OpenSSL failure.
bool start(EVP_CIPHER_CTX* ctx, std::uint64_t counter, BytesView ad) {
  const Nonce nonce = counter_nonce(counter);
  if (EVP_CipherInit_ex(ctx, nullptr, nullptr, nullptr, nonce.data(), -1) != 1) return false;
  for (std::size_t off = 0; off < ad.size(); off += kMaxPiece) {
    int len = 0;
    const int piece = static_cast<int>(std::min(kMaxPiece, ad.size() - off));
    if (EVP_CipherUpdate(ctx, nullptr, &len, ad.data() + off, piece) != 1) return false;
  }
  return true;
}

// Transforms `n` bytes from `in` to `out`; GCM is a stream mode so output length == input.
bool update(EVP_CIPHER_CTX* ctx, const std::uint8_t* in, std::size_t n, std::uint8_t* out) {
  for (std::size_t off = 0; off < n; off += kMaxPiece) {
    int len = 0;
    const int piece = static_cast<int>(std::min(kMaxPiece, n - off));
    if (EVP_CipherUpdate(ctx, out + off, &len, in + off, piece) != 1) return false;
  }
  return true;
}

}  // namespace

ChunkCipher::ChunkCipher(const SecretKey& key) : enc_(keyed_context(key, 1)), dec_(nullptr) {
  try {
    dec_ = keyed_context(key, 0);
  } catch (...) {
    EVP_CIPHER_CTX_free(enc_);
    throw;
  }
}

ChunkCipher::~ChunkCipher() {
  EVP_CIPHER_CTX_free(enc_);  // frees and cleanses the key schedule
  EVP_CIPHER_CTX_free(dec_);
}

void ChunkCipher::seal(std::uint64_t counter, BytesView plaintext, BytesView ad, Bytes& out) {
  out.resize(plaintext.size() + kTagSize);
  int len = 0;
  if (!start(enc_, counter, ad) || !update(enc_, plaintext.data(), plaintext.size(), out.data()) ||
      EVP_CipherFinal_ex(enc_, out.data() + plaintext.size(), &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(enc_, EVP_CTRL_GCM_GET_TAG, kTagSize, out.data() + plaintext.size()) !=
          1) {
    throw std::runtime_error("AES-256-GCM encryption failed");
  }
}

Result<void> ChunkCipher::open(std::uint64_t counter, BytesView sealed, BytesView ad, Bytes& out) {
  if (sealed.size() < kTagSize) {
    out.clear();
    return Error::integrity("content chunk is truncated");
  }
  const std::size_t n = sealed.size() - kTagSize;
  out.resize(n);
  // EVP's tag setter takes a non-const pointer but only reads it.
  auto* tag = const_cast<std::uint8_t*>(sealed.data() + n);
  int len = 0;
  if (!start(dec_, counter, ad) || !update(dec_, sealed.data(), n, out.data()) ||
      EVP_CIPHER_CTX_ctrl(dec_, EVP_CTRL_GCM_SET_TAG, kTagSize, tag) != 1 ||
      EVP_CipherFinal_ex(dec_, out.data() + n, &len) != 1) {
    // Unauthenticated plaintext must never reach a caller.
    OPENSSL_cleanse(out.data(), out.size());
    out.clear();
    return Error::integrity("content chunk failed authentication");
  }
  return {};
}

}  // namespace baomi::crypto
