#include "crypto/sha256.h"

#include <openssl/evp.h>

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

namespace {

// One fetched implementation and one context per thread: fetching per call costs more than
// hashing 65 bytes.
struct ThreadSha256 {
  EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~ThreadSha256() {
    EVP_MD_CTX_free(ctx);
    EVP_MD_free(md);
  }
};

}  // namespace

void sha256_concat(std::initializer_list<BytesView> parts, std::uint8_t* out32) {
  thread_local ThreadSha256 t;
  bool ok = t.md && t.ctx && EVP_DigestInit_ex2(t.ctx, t.md, nullptr) == 1;
  for (const auto& p : parts) ok = ok && EVP_DigestUpdate(t.ctx, p.data(), p.size()) == 1;
  unsigned int len = 0;
  ok = ok && EVP_DigestFinal_ex(t.ctx, out32, &len) == 1 && len == 32;
  if (!ok) throw std::runtime_error("OpenSSL SHA-256 failed");
}

}  // namespace baomi::crypto
