#include "crypto/sha256.h"

#include <stdexcept>

#include "crypto/init.h"

namespace baomi::crypto {

Sha256::Sha256() {
  detail::ensure_init();
  crypto_hash_sha256_init(&state_);
}

void Sha256::update(BytesView data) {
  if (finished_) throw std::logic_error("Sha256::update after hex_digest");
  crypto_hash_sha256_update(&state_, data.data(), data.size());
}

std::string Sha256::hex_digest() {
  if (finished_) throw std::logic_error("Sha256::hex_digest called twice");
  finished_ = true;
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state_, digest);
  return to_hex(digest, sizeof digest);
}

}  // namespace baomi::crypto
