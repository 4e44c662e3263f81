// Incremental SHA-256, used to report upload digests to clients in the form they can check
// with sha256sum. OpenSSL's implementation (SHA-NI / AVX2 where the CPU has them) is several
// times faster than libsodium's portable one, and the digest is on every upload's path
// (docs/benchmarks.md). Not thread-safe.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "crypto/types.h"

namespace baomi::crypto {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(BytesView data);
  void update(std::string_view data) { update(bytes_of(data)); }
  // Lowercase hex of the digest; the object must not be used afterwards.
  std::string hex_digest();

 private:
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
  bool finished_ = false;
};

// SHA-256 of the concatenation of `parts`, into out32 (32 bytes): the audit Merkle tree's hash,
// called twice per audit entry, so it runs OpenSSL's block function (SHA-NI where the CPU has
// it) on a context on the stack instead of setting up an EVP context per call. Thread-safe.
void sha256_concat(std::initializer_list<BytesView> parts, std::uint8_t* out32);

}  // namespace baomi::crypto
