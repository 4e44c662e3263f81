#include "crypto/sealed_box.h"

#include <sodium.h>

namespace baomi::crypto {

BoxKeyPair box_keypair() {
  BoxKeyPair pair{Bytes(crypto_box_PUBLICKEYBYTES), SecureBuffer(crypto_box_SECRETKEYBYTES)};
  crypto_box_keypair(pair.public_key.data(), pair.secret_key.data());
  return pair;
}

Result<Bytes> box_public_key_of(BytesView secret_key) {
  if (secret_key.size() != crypto_box_SECRETKEYBYTES) {
    return Error::invalid("secret_key", "an X25519 secret key is 32 bytes");
  }
  Bytes public_key(crypto_box_PUBLICKEYBYTES);
  if (crypto_scalarmult_base(public_key.data(), secret_key.data()) != 0) {
    return Error::invalid("secret_key", "not a usable X25519 secret key");
  }
  return public_key;
}

Result<Bytes> seal_to(BytesView public_key, BytesView message) {
  if (public_key.size() != crypto_box_PUBLICKEYBYTES) {
    return Error::invalid("public_key", "an X25519 public key is 32 bytes");
  }
  Bytes sealed(message.size() + crypto_box_SEALBYTES);
  if (crypto_box_seal(sealed.data(), message.data(), message.size(), public_key.data()) != 0) {
    return Error::invalid("public_key", "not a usable X25519 public key");
  }
  return sealed;
}

Result<SecureBuffer> open_sealed(BytesView public_key, BytesView secret_key, BytesView sealed) {
  if (public_key.size() != crypto_box_PUBLICKEYBYTES ||
      secret_key.size() != crypto_box_SECRETKEYBYTES || sealed.size() < crypto_box_SEALBYTES) {
    return Error::integrity("the sealed box or the key pair is malformed");
  }
  SecureBuffer opened(sealed.size() - crypto_box_SEALBYTES);
  if (crypto_box_seal_open(opened.data(), sealed.data(), sealed.size(), public_key.data(),
                           secret_key.data()) != 0) {
    return Error::integrity("the sealed box does not open with this secret key");
  }
  return opened;
}

}  // namespace baomi::crypto
