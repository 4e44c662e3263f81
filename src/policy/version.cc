#include "policy/version.h"

#include <openssl/evp.h>

#include <array>
#include <stdexcept>

#include "core/bytes.h"

namespace baomi::policy {

std::string policy_version_of(std::string_view bytes) {
  std::array<std::uint8_t, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1) {
    // Hashing a buffer only fails when OpenSSL itself is broken: a start-up failure.
    throw std::runtime_error("SHA-256 unavailable");
  }
  return to_hex(digest.data(), size);
}

}  // namespace baomi::policy
