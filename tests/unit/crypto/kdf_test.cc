#include "crypto/kdf.h"

#include <gtest/gtest.h>

namespace baomi::crypto {
namespace {

SecretKey kdf_counting_key() {
  Bytes raw(32);
  for (std::size_t i = 0; i < raw.size(); ++i) raw[i] = static_cast<std::uint8_t>(i);
  return SecretKey::from_bytes(raw).value();
}

TEST(Kdf, MatchesIndependentBlake2bComputation) {
  // libsodium's KDF is BLAKE2b(key=master, salt=LE64(id)||0^8, personal=context||0^8); computed
  // independently with Python hashlib.blake2b.
  const SecretKey sub = derive_key(kdf_counting_key(), 7, "baomi-bi");
  EXPECT_EQ(to_hex(sub.data(), SecretKey::kSize),
            "7808be1d1a2c2a16b2d1a2c975857a9c4fb320be822e5b75522108db0846281f");
}

TEST(Kdf, IsDeterministicAndDistinctPerIdContextAndMaster) {
  const SecretKey master = SecretKey::generate();
  EXPECT_TRUE(derive_key(master, 1, "baomi-bi").equals(derive_key(master, 1, "baomi-bi")));
  EXPECT_FALSE(derive_key(master, 1, "baomi-bi").equals(derive_key(master, 2, "baomi-bi")));
  EXPECT_FALSE(derive_key(master, 1, "baomi-bi").equals(derive_key(master, 1, "baomi-au")));
  EXPECT_FALSE(derive_key(master, 1, "baomi-bi").equals(master));
  EXPECT_FALSE(
      derive_key(master, 1, "baomi-bi").equals(derive_key(SecretKey::generate(), 1, "baomi-bi")));
}

}  // namespace
}  // namespace baomi::crypto
