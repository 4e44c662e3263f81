#include "marking/utf8_check.h"

#include "marking/fingerprint_text.h"

namespace baomi::marking {
namespace {

// Checks p[0..n): returns how many trailing bytes form a proper prefix of a sequence (to be
// completed by the next piece), or -1 when something is malformed.
long check(const unsigned char* p, std::size_t n) {
  std::size_t i = 0;
  char32_t cp = 0;
  while (i < n) {
    const std::size_t len = detail::decode_utf8(p + i, n - i, cp);
    if (len > 0) {
      i += len;
      continue;
    }
    if (detail::utf8_prefix_length(p + i, n - i) != 0) return static_cast<long>(n - i);
    return -1;
  }
  return 0;
}

}  // namespace

bool Utf8Check::feed(std::string_view piece) {
  if (!ok_) return false;
  auto* p = reinterpret_cast<const unsigned char*>(piece.data());
  std::size_t n = piece.size();
  // First complete the sequence held back from the previous piece, byte by byte.
  while (held_len_ > 0 && n > 0) {
    // A held prefix is at most 3 bytes, so a 4th byte always completes or breaks it; the
    // explicit bound also tells the compiler so.
    if (held_len_ >= sizeof held_) return ok_ = false;
    held_[held_len_++] = *p++;
    --n;
    const long rest = check(held_, held_len_);
    if (rest < 0) return ok_ = false;
    if (rest == 0) held_len_ = 0;
  }
  if (n == 0) return true;
  const long rest = check(p, n);
  if (rest < 0) return ok_ = false;
  if (static_cast<std::size_t>(rest) >= sizeof held_) return ok_ = false;
  for (long k = 0; k < rest; ++k) held_[k] = p[n - static_cast<std::size_t>(rest) + k];
  held_len_ = static_cast<std::size_t>(rest);
  return true;
}

}  // namespace baomi::marking
