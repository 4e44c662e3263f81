#include "crypto/sha256.h"

// sha256_concat uses the low-level SHA-256 calls that OpenSSL 3 marks deprecated (see there).
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <stdexcept>

namespace baomi::crypto {

struct Sha256::Ctx {
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  ~Ctx() { EVP_MD_CTX_free(md); }
};

Sha256::Sha256() : ctx_(std::make_unique<Ctx>()) {
  // Failure here means OpenSSL itself is broken: a start-up class of bug, not a value.
  if (!ctx_->md || EVP_DigestInit_ex(ctx_->md, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("OpenSSL SHA-256 is unavailable");
  }
}

Sha256::~Sha256() = default;

void Sha256::update(BytesView data) {
  if (finished_) throw std::logic_error("Sha256::update after hex_digest");
  if (EVP_DigestUpdate(ctx_->md, data.data(), data.size()) != 1) {
    throw std::runtime_error("OpenSSL SHA-256 update failed");
  }
}

std::string Sha256::hex_digest() {
  if (finished_) throw std::logic_error("Sha256::hex_digest called twice");
  finished_ = true;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx_->md, digest, &len) != 1 || len != 32) {
    throw std::runtime_error("OpenSSL SHA-256 final failed");
  }
  return to_hex(digest, len);
}

void sha256_concat(std::initializer_list<BytesView> parts, std::uint8_t* out32) {
  // OpenSSL's SHA-256 block function itself (SHA-NI where the CPU has it), without the EVP
  // layer: EVP_DigestInit frees and allocates the provider's context on every call, which cost
  // more than hashing the 33 or 65 bytes of a Merkle leaf or node (issue 14 profile). The
  // low-level calls are deprecated in OpenSSL 3 but kept, and compute the same digest.
  SHA256_CTX ctx;
  bool ok = SHA256_Init(&ctx) == 1;
  for (const auto& p : parts) ok = ok && SHA256_Update(&ctx, p.data(), p.size()) == 1;
  ok = ok && SHA256_Final(out32, &ctx) == 1;
  if (!ok) throw std::runtime_error("OpenSSL SHA-256 failed");
}

}  // namespace baomi::crypto
