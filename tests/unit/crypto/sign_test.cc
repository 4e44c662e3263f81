#include "crypto/sign.h"

#include <gtest/gtest.h>

#include "crypto/random.h"

namespace baomi::crypto {
namespace {

TEST(Ed25519, MatchesRfc8032TestVector1) {
  const Bytes seed =
      from_hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60").value();
  auto key = SigningKey::from_seed(seed);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(to_hex(key->public_key()),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  EXPECT_EQ(to_hex(key->sign(BytesView{})),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e"
            "39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  EXPECT_EQ(key->seed(), seed);
}

TEST(Ed25519, SignVerifyAndEveryTamperFails) {
  const SigningKey key = SigningKey::generate();
  const Bytes pk = key.public_key();
  const Bytes msg = to_bytes("checkpoint 42 head abcd");
  const Bytes sig = key.sign(msg);
  ASSERT_EQ(sig.size(), SigningKey::kSignatureSize);
  EXPECT_TRUE(verify_signature(pk, msg, sig));
  EXPECT_EQ(key.sign(std::string_view("checkpoint 42 head abcd")), sig);
  for (std::size_t i = 0; i < sig.size(); ++i) {
    Bytes bad = sig;
    bad[i] ^= 0x01;
    EXPECT_FALSE(verify_signature(pk, msg, bad)) << "sig byte " << i;
  }
  for (std::size_t i = 0; i < msg.size(); ++i) {
    Bytes bad = msg;
    bad[i] ^= 0x01;
    EXPECT_FALSE(verify_signature(pk, bad, sig)) << "msg byte " << i;
  }
  EXPECT_FALSE(verify_signature(SigningKey::generate().public_key(), msg, sig));
}

TEST(Ed25519, RejectsWrongSizes) {
  const SigningKey key = SigningKey::generate();
  const Bytes sig = key.sign(bytes_of("m"));
  Bytes long_pk = key.public_key();
  long_pk.push_back(0);
  EXPECT_FALSE(verify_signature(long_pk, bytes_of("m"), sig));
  EXPECT_FALSE(verify_signature(key.public_key(), bytes_of("m"), BytesView(sig).first(63)));
  auto bad = SigningKey::from_seed(random_bytes(31));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::kInvalidArgument);
}

TEST(Ed25519, SeedRoundTripGivesSameKey) {
  const SigningKey key = SigningKey::generate();
  auto again = SigningKey::from_seed(key.seed());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->public_key(), key.public_key());
  EXPECT_NE(SigningKey::generate().public_key(), key.public_key());
}

}  // namespace
}  // namespace baomi::crypto
