#include "crypto/aead.h"

#include <sodium.h>

#include "crypto/init.h"

namespace baomi::crypto {

static_assert(kAeadNonceSize == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
static_assert(kAeadTagSize == crypto_aead_xchacha20poly1305_ietf_ABYTES);
static_assert(SecretKey::kSize == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);

Bytes aead_seal(const SecretKey& key, BytesView plaintext, BytesView ad) {
  detail::ensure_init();
  Bytes out(kAeadOverhead + plaintext.size());
  randombytes_buf(out.data(), kAeadNonceSize);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out.data() + kAeadNonceSize, &written,
                                             plaintext.data(), plaintext.size(), ad.data(),
                                             ad.size(), nullptr, out.data(), key.data());
  return out;
}

Result<Bytes> aead_open(const SecretKey& key, BytesView sealed, BytesView ad) {
  if (sealed.size() < kAeadOverhead) return Error::integrity("sealed value is truncated");
  Bytes out(sealed.size() - kAeadOverhead);
  unsigned long long written = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          out.data(), &written, nullptr, sealed.data() + kAeadNonceSize,
          sealed.size() - kAeadNonceSize, ad.data(), ad.size(), sealed.data(), key.data()) != 0) {
    return Error::integrity("sealed value failed authentication");
  }
  return out;
}

}  // namespace baomi::crypto
