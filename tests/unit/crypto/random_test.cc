#include "crypto/random.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "crypto/compare.h"
#include "crypto/encoding.h"
#include "crypto/init.h"

namespace baomi::crypto {
namespace {

TEST(CryptoInit, IsIdempotent) {
  EXPECT_NO_THROW(init());
  EXPECT_NO_THROW(init());
}

TEST(RandomBytes, HasRequestedLengthAndVaries) {
  EXPECT_TRUE(random_bytes(0).empty());
  const Bytes a = random_bytes(32);
  const Bytes b = random_bytes(32);
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);
}

TEST(RandomId, Is26LowercaseBase32CharsAndUnique) {
  const std::regex format("^[a-z2-7]{26}$");
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = random_id();
    EXPECT_TRUE(std::regex_match(id, format)) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(RandomId, IsRandomIdAcceptsEveryIssuedIdAndNothingElse) {
  for (int i = 0; i < 1000; ++i) {
    const std::string id = random_id();
    EXPECT_TRUE(is_random_id(id)) << id;
  }
  const std::string good = random_id();
  EXPECT_FALSE(is_random_id(""));
  EXPECT_FALSE(is_random_id("zzzz"));
  EXPECT_FALSE(is_random_id(good.substr(1)));
  EXPECT_FALSE(is_random_id(good + "a"));
  std::string upper = good;
  upper[0] = 'A';
  EXPECT_FALSE(is_random_id(upper));
  EXPECT_FALSE(is_random_id(std::string(25, 'a') + "b"));  // padding bits set: never issued
  EXPECT_TRUE(is_random_id(std::string(25, 'a') + "e"));
  EXPECT_FALSE(is_random_id(std::string(25, 'a') + "8"));
}

TEST(RandomToken, Is43Base64urlCharsOf32BytesAndUnique) {
  const std::regex format("^[A-Za-z0-9_-]{43}$");
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string token = random_token();
    EXPECT_TRUE(std::regex_match(token, format)) << token;
    auto raw = base64url_decode(token);
    ASSERT_TRUE(raw.has_value());
    EXPECT_EQ(raw->size(), 32u);
    seen.insert(token);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(Base32, MatchesRfc4648Vectors) {
  // RFC 4648 section 10, lowercased and without padding.
  EXPECT_EQ(base32_lower(bytes_of("")), "");
  EXPECT_EQ(base32_lower(bytes_of("f")), "my");
  EXPECT_EQ(base32_lower(bytes_of("fo")), "mzxq");
  EXPECT_EQ(base32_lower(bytes_of("foo")), "mzxw6");
  EXPECT_EQ(base32_lower(bytes_of("foob")), "mzxw6yq");
  EXPECT_EQ(base32_lower(bytes_of("fooba")), "mzxw6ytb");
  EXPECT_EQ(base32_lower(bytes_of("foobar")), "mzxw6ytboi");
}

TEST(Base64url, RoundTripsEveryLength) {
  for (std::size_t n = 0; n <= 40; ++n) {
    const Bytes data = random_bytes(n);
    const std::string text = base64url_encode(data);
    EXPECT_EQ(text.find('='), std::string::npos);
    auto back = base64url_decode(text);
    ASSERT_TRUE(back.has_value()) << n;
    EXPECT_EQ(*back, data);
  }
}

TEST(Base64url, MatchesRfc4648VectorsAndRejectsOtherAlphabets) {
  EXPECT_EQ(base64url_encode(bytes_of("foobar")), "Zm9vYmFy");
  EXPECT_EQ(base64url_encode(bytes_of("fo")), "Zm8");
  EXPECT_EQ(base64url_encode(Bytes{0xfb, 0xff}), "-_8");
  EXPECT_FALSE(base64url_decode("+/8").has_value());   // standard alphabet
  EXPECT_FALSE(base64url_decode("Zm8=").has_value());  // padding
  EXPECT_FALSE(base64url_decode("Zm8 ").has_value());  // trailing garbage
  EXPECT_FALSE(base64url_decode("Zm9").has_value());   // non-canonical trailing bits
}

TEST(ConstantTimeEqual, ComparesContentAndLength) {
  const Bytes a{1, 2, 3};
  const Bytes b{1, 2, 3};
  const Bytes c{1, 2, 4};
  const Bytes d{1, 2};
  EXPECT_TRUE(constant_time_equal(a, b));
  EXPECT_FALSE(constant_time_equal(a, c));
  EXPECT_FALSE(constant_time_equal(a, d));
  EXPECT_TRUE(constant_time_equal(Bytes{}, Bytes{}));
  EXPECT_TRUE(constant_time_equal(std::string_view("abc"), std::string_view("abc")));
  EXPECT_FALSE(constant_time_equal(std::string_view("abc"), std::string_view("abd")));
}

}  // namespace
}  // namespace baomi::crypto
