#include "crypto/shamir.h"

#include <gtest/gtest.h>
#include <sodium.h>

namespace baomi::crypto {
namespace {

std::vector<const KeyShare*> pick(const std::vector<KeyShare>& all, std::vector<int> indexes) {
  std::vector<const KeyShare*> out;
  for (int i : indexes) out.push_back(&all[static_cast<std::size_t>(i)]);
  return out;
}

TEST(Shamir, AnyThreeOfFiveRebuildTheKeyInAnyOrder) {
  const auto key = SecretKey::generate();
  auto shares = split_key(key, 5, 3);
  ASSERT_TRUE(shares.ok());
  ASSERT_EQ(shares->size(), 5u);
  for (int a = 0; a < 5; ++a) {
    for (int b = 0; b < 5; ++b) {
      for (int c = 0; c < 5; ++c) {
        if (a == b || b == c || a == c) continue;
        auto rebuilt = combine_key(pick(*shares, {a, b, c}));
        ASSERT_TRUE(rebuilt.ok());
        EXPECT_TRUE(rebuilt->equals(key)) << a << b << c;
      }
    }
  }
}

TEST(Shamir, FewerSharesThanTheThresholdDoNotRebuildTheKey) {
  const auto key = SecretKey::generate();
  auto shares = split_key(key, 5, 3);
  ASSERT_TRUE(shares.ok());
  auto rebuilt = combine_key(pick(*shares, {0, 3}));
  ASSERT_TRUE(rebuilt.ok());
  EXPECT_FALSE(rebuilt->equals(key));
}

TEST(Shamir, SharesAreNotTheKeyAndDifferBetweenSplits) {
  const auto key = SecretKey::generate();
  auto first = split_key(key, 3, 2);
  auto second = split_key(key, 3, 2);
  ASSERT_TRUE(first.ok() && second.ok());
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_NE(0, sodium_memcmp((*first)[i].value.data(), key.data(), SecretKey::kSize));
    EXPECT_NE(0,
              sodium_memcmp((*first)[i].value.data(), (*second)[i].value.data(), SecretKey::kSize));
  }
}

TEST(Shamir, OneOfOneIsTheKeyItself) {
  const auto key = SecretKey::generate();
  auto shares = split_key(key, 1, 1);
  ASSERT_TRUE(shares.ok());
  auto rebuilt = combine_key(pick(*shares, {0}));
  ASSERT_TRUE(rebuilt.ok());
  EXPECT_TRUE(rebuilt->equals(key));
}

TEST(Shamir, RefusesImpossibleSplitsAndRepeatedIndexes) {
  const auto key = SecretKey::generate();
  EXPECT_EQ(split_key(key, 3, 4).error().kind, ErrorKind::kInvalidArgument);
  EXPECT_EQ(split_key(key, 3, 0).error().kind, ErrorKind::kInvalidArgument);
  EXPECT_EQ(split_key(key, 256, 2).error().kind, ErrorKind::kInvalidArgument);
  auto shares = split_key(key, 3, 2);
  ASSERT_TRUE(shares.ok());
  EXPECT_EQ(combine_key(pick(*shares, {1, 1})).error().kind, ErrorKind::kInvalidArgument);
  EXPECT_EQ(combine_key({}).error().kind, ErrorKind::kInvalidArgument);
}

}  // namespace
}  // namespace baomi::crypto
