// Sealed: the bytes of one encrypted field, as a type distinct from plaintext so that a storage
// row for a secret field can only be filled from Barrier::seal_field (or from storage itself).
// A value type; thread-safe as such.
#pragma once

#include <utility>

#include "core/bytes.h"

namespace baomi::barrier {

class Barrier;

class Sealed {
 public:
  const Bytes& bytes() const { return bytes_; }
  // Rewraps bytes read back from storage; they are authenticated only by Barrier::open_field.
  static Sealed from_storage(Bytes bytes) { return Sealed(std::move(bytes)); }

 private:
  friend class Barrier;
  explicit Sealed(Bytes bytes) : bytes_(std::move(bytes)) {}
  Bytes bytes_;
};

}  // namespace baomi::barrier
