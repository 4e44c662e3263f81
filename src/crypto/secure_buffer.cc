#include "crypto/secure_buffer.h"

#include <sodium.h>

#include <new>
#include <utility>

#include "crypto/secure_slab.h"

namespace baomi::crypto {

SecureBuffer::SecureBuffer(std::size_t size) : data_(detail::secure_alloc(size)), size_(size) {}

SecureBuffer::~SecureBuffer() { detail::secure_free(data_, size_); }

SecureBuffer::SecureBuffer(SecureBuffer&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

SecureBuffer& SecureBuffer::operator=(SecureBuffer&& other) noexcept {
  if (this != &other) {
    detail::secure_free(data_, size_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

void wipe(Bytes& bytes) {
  if (!bytes.empty()) sodium_memzero(bytes.data(), bytes.size());
}

}  // namespace baomi::crypto
