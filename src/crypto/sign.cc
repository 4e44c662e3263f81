#include "crypto/sign.h"

#include <sodium.h>

#include "crypto/init.h"

namespace baomi::crypto {

static_assert(SigningKey::kSeedSize == crypto_sign_SEEDBYTES);
static_assert(SigningKey::kPublicKeySize == crypto_sign_PUBLICKEYBYTES);
static_assert(SigningKey::kSignatureSize == crypto_sign_BYTES);

SigningKey::SigningKey() : sk_(crypto_sign_SECRETKEYBYTES) {}

SigningKey SigningKey::generate() {
  SigningKey key;
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  crypto_sign_keypair(pk, key.sk_.data());
  return key;
}

Result<SigningKey> SigningKey::from_seed(BytesView seed32) {
  if (seed32.size() != kSeedSize) {
    return Error::invalid("seed", "an Ed25519 seed must be exactly 32 bytes");
  }
  SigningKey key;
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  crypto_sign_seed_keypair(pk, key.sk_.data(), seed32.data());
  return key;
}

Bytes SigningKey::seed() const {
  Bytes out(kSeedSize);
  crypto_sign_ed25519_sk_to_seed(out.data(), sk_.data());
  return out;
}

Bytes SigningKey::public_key() const {
  Bytes out(kPublicKeySize);
  crypto_sign_ed25519_sk_to_pk(out.data(), sk_.data());
  return out;
}

Bytes SigningKey::sign(BytesView msg) const {
  Bytes sig(kSignatureSize);
  crypto_sign_detached(sig.data(), nullptr, msg.data(), msg.size(), sk_.data());
  return sig;
}

bool verify_signature(BytesView public_key32, BytesView msg, BytesView sig64) {
  if (public_key32.size() != SigningKey::kPublicKeySize ||
      sig64.size() != SigningKey::kSignatureSize) {
    return false;
  }
  detail::ensure_init();
  return crypto_sign_verify_detached(sig64.data(), msg.data(), msg.size(), public_key32.data()) ==
         0;
}

}  // namespace baomi::crypto
