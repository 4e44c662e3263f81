// Utf8Check: incremental validation of UTF-8 arriving in pieces that may split a sequence
// anywhere. Text documents must be well-formed UTF-8 because their views and copies are
// fingerprinted (marking/fingerprint.h), which refuses anything else; checking at upload turns
// that into a clear 4xx then, instead of a view that breaks off midway later.
// Not thread-safe: one per stream.
#pragma once

#include <cstddef>
#include <string_view>

namespace baomi::marking {

class Utf8Check {
 public:
  // False from the first piece holding a byte that cannot be part of well-formed UTF-8
  // (overlong forms, surrogates, values above U+10FFFF, stray continuation bytes), and ever
  // after.
  bool feed(std::string_view piece);
  // False when the text ends inside a sequence (or failed before).
  bool finish() const { return ok_ && held_len_ == 0; }

 private:
  bool ok_ = true;
  unsigned char held_[4] = {};
  std::size_t held_len_ = 0;
};

}  // namespace baomi::marking
