#include "crypto/aead.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include "crypto/random.h"

namespace baomi::crypto {
namespace {

TEST(Aead, RoundTripsIncludingEmptyPlaintext) {
  const SecretKey key = SecretKey::generate();
  for (std::size_t n : {0u, 1u, 31u, 1000u}) {
    const Bytes pt = random_bytes(n);
    const Bytes sealed = aead_seal(key, pt, bytes_of("ad"));
    EXPECT_EQ(sealed.size(), n + kAeadOverhead);
    auto opened = aead_open(key, sealed, bytes_of("ad"));
    ASSERT_TRUE(opened.ok());
    EXPECT_EQ(*opened, pt);
  }
}

TEST(Aead, NoncesAreRandomSoTwoSealsDiffer) {
  const SecretKey key = SecretKey::generate();
  const Bytes a = aead_seal(key, bytes_of("same"), {});
  const Bytes b = aead_seal(key, bytes_of("same"), {});
  EXPECT_NE(a, b);
  EXPECT_NE(Bytes(a.begin(), a.begin() + kAeadNonceSize),
            Bytes(b.begin(), b.begin() + kAeadNonceSize));
}

TEST(Aead, FormatIsNonceThenLibsodiumXChaChaBox) {
  // Independent check of the wire format against libsodium's own decrypt.
  const SecretKey key = SecretKey::generate();
  const Bytes sealed = aead_seal(key, bytes_of("hello"), bytes_of("ad"));
  Bytes pt(5);
  unsigned long long len = 0;
  ASSERT_EQ(
      crypto_aead_xchacha20poly1305_ietf_decrypt(
          pt.data(), &len, nullptr, sealed.data() + kAeadNonceSize, sealed.size() - kAeadNonceSize,
          reinterpret_cast<const unsigned char*>("ad"), 2, sealed.data(), key.data()),
      0);
  EXPECT_EQ(to_string(pt), "hello");
}

TEST(Aead, EverySingleByteFlipFailsWithIntegrity) {
  const SecretKey key = SecretKey::generate();
  const Bytes sealed = aead_seal(key, bytes_of("classified"), bytes_of("ad"));
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    Bytes bad = sealed;
    bad[i] ^= 0x01;
    auto opened = aead_open(key, bad, bytes_of("ad"));
    ASSERT_FALSE(opened.ok()) << "byte " << i;
    EXPECT_EQ(opened.error().kind, ErrorKind::kIntegrity);
  }
}

TEST(Aead, WrongKeyWrongAdOrTruncationFailsWithIntegrity) {
  const SecretKey key = SecretKey::generate();
  const Bytes sealed = aead_seal(key, bytes_of("x"), bytes_of("ad"));
  EXPECT_EQ(aead_open(SecretKey::generate(), sealed, bytes_of("ad")).error().kind,
            ErrorKind::kIntegrity);
  EXPECT_EQ(aead_open(key, sealed, bytes_of("ae")).error().kind, ErrorKind::kIntegrity);
  EXPECT_EQ(aead_open(key, sealed, {}).error().kind, ErrorKind::kIntegrity);
  for (std::size_t n = 0; n < sealed.size(); ++n) {
    auto opened = aead_open(key, BytesView(sealed).first(n), bytes_of("ad"));
    ASSERT_FALSE(opened.ok()) << n;
    EXPECT_EQ(opened.error().kind, ErrorKind::kIntegrity);
  }
}

}  // namespace
}  // namespace baomi::crypto
