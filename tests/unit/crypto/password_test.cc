#include "crypto/password.h"

#include <gtest/gtest.h>

namespace baomi::crypto {
namespace {

TEST(Password, HashVerifiesOnlyTheRightPassword) {
  auto hash = hash_password("correct horse 保密", PwhashCost::kMinimum);
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u);
  EXPECT_EQ(hash->find("correct horse"), std::string::npos);
  EXPECT_TRUE(verify_password(*hash, "correct horse 保密"));
  EXPECT_FALSE(verify_password(*hash, "correct horse"));
  EXPECT_FALSE(verify_password(*hash, ""));
}

TEST(Password, HashesAreSaltedSoEqualPasswordsDiffer) {
  auto a = hash_password("pw", PwhashCost::kMinimum);
  auto b = hash_password("pw", PwhashCost::kMinimum);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(verify_password(*b, "pw"));
}

TEST(Password, MalformedStoredHashNeverVerifies) {
  EXPECT_FALSE(verify_password("", "pw"));
  EXPECT_FALSE(verify_password("pw", "pw"));
  EXPECT_FALSE(verify_password("$argon2id$v=19$m=8,t=1,p=1$garbage", "pw"));
}

TEST(Password, NeedsRehashBelowInteractiveCost) {
  auto weak = hash_password("pw", PwhashCost::kMinimum);
  ASSERT_TRUE(weak.ok());
  EXPECT_TRUE(password_needs_rehash(*weak));
  EXPECT_TRUE(password_needs_rehash("not a hash"));
  auto strong = hash_password("pw");  // default: interactive cost
  ASSERT_TRUE(strong.ok());
  EXPECT_FALSE(password_needs_rehash(*strong));
  EXPECT_TRUE(verify_password(*strong, "pw"));
}

}  // namespace
}  // namespace baomi::crypto
