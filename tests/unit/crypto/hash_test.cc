#include "crypto/hash.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "crypto/random.h"
#include "crypto/sha256.h"

namespace baomi::crypto {
namespace {

SecretKey counting_key() {
  Bytes raw(32);
  for (std::size_t i = 0; i < raw.size(); ++i) raw[i] = static_cast<std::uint8_t>(i);
  return SecretKey::from_bytes(raw).value();
}

TEST(Blake2b, MatchesKnownAnswers) {
  // Python hashlib.blake2b(digest_size=32).
  EXPECT_EQ(to_hex(hash32(std::string_view(""))),
            "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
  EXPECT_EQ(to_hex(hash32(std::string_view("abc"))),
            "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
  EXPECT_EQ(to_hex(hash32(bytes_of("abc"))), to_hex(hash32(std::string_view("abc"))));
}

TEST(Blake2b, KeyedMatchesKnownAnswerAndDependsOnKey) {
  // Python hashlib.blake2b(b"abc", digest_size=32, key=bytes(range(32))).
  EXPECT_EQ(to_hex(keyed_hash32(counting_key(), std::string_view("abc"))),
            "d63a32d3e44738d7907f964316c241adaba0abfeabc32349677578a15a203f7f");
  const SecretKey other = SecretKey::generate();
  EXPECT_NE(keyed_hash32(other, bytes_of("abc")), keyed_hash32(counting_key(), bytes_of("abc")));
  EXPECT_NE(keyed_hash32(other, bytes_of("abc")), hash32(bytes_of("abc")));
}

TEST(Blake2b, IncrementalEqualsOneShot) {
  const Bytes data = random_bytes(1000);
  for (std::size_t split : {0u, 1u, 127u, 128u, 129u, 999u, 1000u}) {
    Hasher h;
    h.update(BytesView(data).first(split));
    h.update(BytesView(data).subspan(split));
    EXPECT_EQ(h.finish(), hash32(data)) << split;
  }
  Hasher text;
  text.update(std::string_view("ab"));
  text.update(std::string_view("c"));
  EXPECT_EQ(to_hex(text.finish()), to_hex(hash32(std::string_view("abc"))));
}

TEST(Blake2b, HasherRefusesUseAfterFinish) {
  Hasher h;
  h.update(std::string_view("x"));
  (void)h.finish();
  EXPECT_THROW(h.update(std::string_view("y")), std::logic_error);
  EXPECT_THROW((void)h.finish(), std::logic_error);
}

TEST(Sha256, MatchesKnownAnswersIncrementally) {
  Sha256 empty;
  EXPECT_EQ(empty.hex_digest(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  Sha256 abc;
  abc.update(std::string_view("a"));
  abc.update(bytes_of("bc"));
  EXPECT_EQ(abc.hex_digest(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_THROW(abc.update(std::string_view("d")), std::logic_error);
}

}  // namespace
}  // namespace baomi::crypto
