#include "crypto/secret_key.h"

#include <gtest/gtest.h>

#include <utility>

#include "crypto/random.h"

namespace baomi::crypto {
namespace {

TEST(SecretKey, GenerateGivesDistinctKeys) {
  const SecretKey a = SecretKey::generate();
  const SecretKey b = SecretKey::generate();
  EXPECT_FALSE(a.equals(b));
  EXPECT_TRUE(a.equals(a));
}

TEST(SecretKey, FromBytesRequiresExactly32Bytes) {
  for (std::size_t n : {0u, 16u, 31u, 33u, 64u}) {
    auto key = SecretKey::from_bytes(random_bytes(n));
    ASSERT_FALSE(key.ok()) << n;
    EXPECT_EQ(key.error().kind, ErrorKind::kInvalidArgument);
  }
  const Bytes raw = random_bytes(32);
  auto key = SecretKey::from_bytes(raw);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(Bytes(key->data(), key->data() + SecretKey::kSize), raw);
}

TEST(SecretKey, EqualsComparesContent) {
  const Bytes raw = random_bytes(32);
  Bytes other = raw;
  other[31] ^= 1;
  EXPECT_TRUE(SecretKey::from_bytes(raw)->equals(SecretKey::from_bytes(raw).value()));
  EXPECT_FALSE(SecretKey::from_bytes(raw)->equals(SecretKey::from_bytes(other).value()));
}

TEST(SecretKey, CloneAndMovePreserveKeyBytes) {
  SecretKey a = SecretKey::generate();
  const SecretKey copy = a.clone();
  EXPECT_TRUE(copy.equals(a));
  EXPECT_NE(copy.data(), a.data());  // a separate secure allocation
  const SecretKey moved = std::move(a);
  EXPECT_TRUE(moved.equals(copy));
}

}  // namespace
}  // namespace baomi::crypto
