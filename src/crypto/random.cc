#include "crypto/random.h"

#include <sodium.h>

#include "crypto/encoding.h"
#include "crypto/init.h"
#include "crypto/secure_buffer.h"

namespace baomi::crypto {

Bytes random_bytes(std::size_t n) {
  detail::ensure_init();
  Bytes out(n);
  if (n > 0) randombytes_buf(out.data(), out.size());
  return out;
}

std::string random_id() { return base32_lower(random_bytes(16)); }

bool is_random_id(std::string_view text) {
  constexpr std::size_t kLength = 26;  // 16 bytes = 128 bits in 5-bit characters
  auto value = [](char c) -> int {
    if (c >= 'a' && c <= 'z') return c - 'a';
    if (c >= '2' && c <= '7') return c - '2' + 26;
    return -1;
  };
  if (text.size() != kLength) return false;
  for (char c : text) {
    if (value(c) < 0) return false;
  }
  return (value(text.back()) & 0b11) == 0;  // 130 - 128 = 2 padding bits
}

std::string random_token() {
  Bytes raw = random_bytes(32);
  std::string token = base64url_encode(raw);
  wipe(raw);  // the raw token is a bearer secret
  return token;
}

}  // namespace baomi::crypto
