#include "crypto/secure_buffer.h"

#include <sodium.h>

#include <new>
#include <utility>

#include "crypto/init.h"

namespace baomi::crypto {

SecureBuffer::SecureBuffer(std::size_t size) : size_(size) {
  detail::ensure_init();  // sodium_malloc needs the page size sodium_init computes
  data_ = static_cast<std::uint8_t*>(sodium_malloc(size));
  if (data_ == nullptr) throw std::bad_alloc();
  // sodium_malloc already tries to mlock; repeat explicitly as documented best-effort: a failure
  // (e.g. RLIMIT_MEMLOCK) only means the page could be swapped, not that the key is unsafe.
  (void)sodium_mlock(data_, size_);
}

SecureBuffer::~SecureBuffer() {
  if (data_ != nullptr) sodium_free(data_);  // wipes, unlocks and unmaps
}

SecureBuffer::SecureBuffer(SecureBuffer&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

SecureBuffer& SecureBuffer::operator=(SecureBuffer&& other) noexcept {
  if (this != &other) {
    if (data_ != nullptr) sodium_free(data_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

void wipe(Bytes& bytes) {
  if (!bytes.empty()) sodium_memzero(bytes.data(), bytes.size());
}

}  // namespace baomi::crypto
