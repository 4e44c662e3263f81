#include "crypto/chunk_cipher.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <sodium.h>

#include <array>
#include <limits>

#include "crypto/random.h"

namespace baomi::crypto {
namespace {

SecretKey key_of(const Bytes& raw) { return SecretKey::from_bytes(raw).value(); }

// Independent reference: a fresh one-shot OpenSSL context per message, with the nonce spelled
// out byte by byte rather than produced by ChunkCipher's own helper.
Bytes reference_seal(const Bytes& key, std::uint64_t counter, const Bytes& pt, const Bytes& ad) {
  std::array<unsigned char, 12> iv{};
  for (int i = 0; i < 8; ++i) iv[11 - i] = static_cast<unsigned char>((counter >> (8 * i)) & 0xff);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  Bytes out(pt.size() + 16);
  int len = 0;
  EXPECT_EQ(EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, key.data(), iv.data()), 1);
  if (!ad.empty()) {
    EXPECT_EQ(EVP_EncryptUpdate(ctx, nullptr, &len, ad.data(), ad.size()), 1);
  }
  EXPECT_EQ(EVP_EncryptUpdate(ctx, out.data(), &len, pt.data(), pt.size()), 1);
  EXPECT_EQ(EVP_EncryptFinal_ex(ctx, out.data() + len, &len), 1);
  EXPECT_EQ(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, out.data() + pt.size()), 1);
  EVP_CIPHER_CTX_free(ctx);
  return out;
}

constexpr std::uint64_t kCounters[] = {
    0, 1, 2, 255, 256, std::uint64_t{1} << 32, std::numeric_limits<std::uint64_t>::max()};
constexpr std::size_t kSizes[] = {0, 1, 15, 16, 17, 1000, 256 * 1024};

TEST(ChunkCipher, MatchesNistGcmTestCases13And14) {
  // McGrew & Viega GCM spec, test cases 13/14: 256-bit zero key, zero 96-bit IV (= counter 0).
  ChunkCipher cipher(key_of(Bytes(32, 0)));
  Bytes out;
  cipher.seal(0, {}, {}, out);
  EXPECT_EQ(to_hex(out), "530f8afbc74536b9a963b4f1c4cb738b");
  cipher.seal(0, Bytes(16, 0), {}, out);
  EXPECT_EQ(to_hex(out), "cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919");
}

TEST(ChunkCipher, ReusedContextMatchesFreshOneShotOpenSsl) {
  const Bytes raw = random_bytes(32);
  ChunkCipher cipher(key_of(raw));  // one object for every call below
  Bytes out;
  for (std::uint64_t counter : kCounters) {
    for (std::size_t n : kSizes) {
      const Bytes pt = random_bytes(n);
      const Bytes ad = random_bytes(n % 50);
      cipher.seal(counter, pt, ad, out);
      ASSERT_EQ(out, reference_seal(raw, counter, pt, ad)) << counter << " " << n;
    }
  }
}

TEST(ChunkCipher, MatchesLibsodiumAes256Gcm) {
  if (crypto_aead_aes256gcm_is_available() == 0) GTEST_SKIP() << "no AES-NI for libsodium";
  const Bytes raw = random_bytes(32);
  ChunkCipher cipher(key_of(raw));
  Bytes out;
  for (std::uint64_t counter : kCounters) {
    for (std::size_t n : kSizes) {
      const Bytes pt = random_bytes(n);
      const Bytes ad = random_bytes(7);
      std::array<unsigned char, 12> nonce{};
      for (int i = 0; i < 8; ++i)
        nonce[4 + i] = static_cast<unsigned char>(counter >> (56 - 8 * i));
      Bytes expected(n + 16);
      unsigned long long len = 0;
      crypto_aead_aes256gcm_encrypt(expected.data(), &len, pt.data(), pt.size(), ad.data(),
                                    ad.size(), nullptr, nonce.data(), raw.data());
      cipher.seal(counter, pt, ad, out);
      ASSERT_EQ(out, expected) << counter << " " << n;
    }
  }
}

TEST(ChunkCipher, SealAndOpenInterleaveOnOneObject) {
  ChunkCipher cipher(SecretKey::generate());
  Bytes sealed;
  Bytes opened;
  for (std::uint64_t counter = 0; counter < 5; ++counter) {
    const Bytes pt = random_bytes(100 + counter);
    cipher.seal(counter, pt, bytes_of("ad"), sealed);
    ASSERT_TRUE(cipher.open(counter, sealed, bytes_of("ad"), opened).ok());
    EXPECT_EQ(opened, pt);
  }
}

TEST(ChunkCipher, EverySingleByteFlipFailsWithIntegrityAndClearsOutput) {
  ChunkCipher cipher(SecretKey::generate());
  Bytes sealed;
  cipher.seal(3, random_bytes(64), bytes_of("ad"), sealed);
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    Bytes bad = sealed;
    bad[i] ^= 0x80;
    Bytes out{1, 2, 3};
    auto r = cipher.open(3, bad, bytes_of("ad"), out);
    ASSERT_FALSE(r.ok()) << "byte " << i;
    EXPECT_EQ(r.error().kind, ErrorKind::kIntegrity);
    EXPECT_TRUE(out.empty());  // unauthenticated plaintext never escapes
  }
}

TEST(ChunkCipher, WrongCounterAdKeyOrTruncationFailsWithIntegrity) {
  const SecretKey key = SecretKey::generate();
  ChunkCipher cipher(key);
  Bytes sealed;
  Bytes out;
  cipher.seal(7, bytes_of("chunk"), bytes_of("ad"), sealed);
  EXPECT_EQ(cipher.open(8, sealed, bytes_of("ad"), out).error().kind, ErrorKind::kIntegrity);
  EXPECT_EQ(cipher.open(7, sealed, bytes_of("ae"), out).error().kind, ErrorKind::kIntegrity);
  ChunkCipher other(SecretKey::generate());
  EXPECT_EQ(other.open(7, sealed, bytes_of("ad"), out).error().kind, ErrorKind::kIntegrity);
  for (std::size_t n = 0; n < sealed.size(); ++n) {
    auto r = cipher.open(7, BytesView(sealed).first(n), bytes_of("ad"), out);
    ASSERT_FALSE(r.ok()) << n;
    EXPECT_EQ(r.error().kind, ErrorKind::kIntegrity);
  }
  ASSERT_TRUE(cipher.open(7, sealed, bytes_of("ad"), out).ok());
  EXPECT_EQ(to_string(out), "chunk");
}

}  // namespace
}  // namespace baomi::crypto
