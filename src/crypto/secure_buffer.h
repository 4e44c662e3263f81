// SecureBuffer: fixed-size memory for secrets: locked, guarded, excluded from core dumps and
// wiped on destruction (secure_slab.h: small secrets share guarded sodium_malloc regions,
// large ones get their own). Move-only.
// Not thread-safe for concurrent writes; concurrent reads are fine.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/bytes.h"

namespace baomi::crypto {

class SecureBuffer {
 public:
  // Throws std::bad_alloc if the secure allocation fails (environment failure).
  explicit SecureBuffer(std::size_t size);
  ~SecureBuffer();
  SecureBuffer(SecureBuffer&& other) noexcept;
  SecureBuffer& operator=(SecureBuffer&& other) noexcept;
  SecureBuffer(const SecureBuffer&) = delete;
  SecureBuffer& operator=(const SecureBuffer&) = delete;

  std::uint8_t* data() { return data_; }
  const std::uint8_t* data() const { return data_; }
  std::size_t size() const { return size_; }

 private:
  std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
};

// Overwrites a temporary copy of secret bytes (sodium_memzero, which the compiler cannot elide).
void wipe(Bytes& bytes);

}  // namespace baomi::crypto
