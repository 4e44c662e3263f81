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

std::string random_token() {
  Bytes raw = random_bytes(32);
  std::string token = base64url_encode(raw);
  wipe(raw);  // the raw token is a bearer secret
  return token;
}

}  // namespace baomi::crypto
