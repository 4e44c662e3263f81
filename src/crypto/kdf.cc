#include "crypto/kdf.h"

#include <sodium.h>

#include <stdexcept>

#include "crypto/init.h"

namespace baomi::crypto {

static_assert(crypto_kdf_CONTEXTBYTES == 8);
static_assert(crypto_kdf_KEYBYTES == SecretKey::kSize);

SecretKey derive_key(const SecretKey& master, std::uint64_t subkey_id, const char (&context)[9]) {
  detail::ensure_init();
  unsigned char buf[SecretKey::kSize];
  if (crypto_kdf_derive_from_key(buf, sizeof buf, subkey_id, context, master.data()) != 0) {
    throw std::logic_error("crypto_kdf_derive_from_key rejected a fixed-size request");
  }
  SecretKey subkey = SecretKey::from_bytes(buf).value();
  sodium_memzero(buf, sizeof buf);  // leave no copy of the subkey on the stack
  return subkey;
}

}  // namespace baomi::crypto
