// Tests for signed checkpoints (I1).
#include "audit/checkpoint.h"

#include <gtest/gtest.h>

#include "audit/chain.h"
#include "audit_test_util.h"

namespace baomi::audit {
namespace {

constexpr const char* kHead = "a6b1cd8cbd41991b2690d15c44918b0fe924d5350016d843575cb42437ccce50";

// The key of docs/audit-format.md: libsodium seed bytes 00 01 02 … 1f.
testing::TestKey doc_key() {
  std::array<std::uint8_t, 32> seed{};
  for (std::size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<std::uint8_t>(i);
  testing::TestKey k;
  if (sodium_init() < 0) throw std::runtime_error("sodium_init");
  crypto_sign_seed_keypair(k.pk.data(), k.sk.data(), seed.data());
  return k;
}

TEST(AuditCheckpoint, MessageMatchesDocumentedVector) {
  const Checkpoint cp{2, kHead, 1700000000500000, {}};
  EXPECT_EQ(to_hex(checkpoint_message(cp)),
            "0000001362616f6d692d636865636b706f696e742d7631"
            "0000000000000002"
            "00000040"
            "6136623163643863626434313939316232363930643135633434393138623066"
            "6539323464353335303031366438343335373563623432343337636363653530"
            "00060a241825e120");
}

// Signatures made with Python's `cryptography` package over the same message.
TEST(AuditCheckpoint, SignatureMatchesDocumentedVector) {
  const auto key = doc_key();
  EXPECT_EQ(to_hex(key.pk.data(), key.pk.size()),
            "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8");
  const Checkpoint cp = sign_checkpoint(2, kHead, 1700000000500000, key.sk.data());
  EXPECT_EQ(cp.seq, 2u);
  EXPECT_EQ(cp.head, kHead);
  EXPECT_EQ(cp.time_us, 1700000000500000);
  EXPECT_EQ(cp.signature,
            "0f9e9c925ec64285bf8115532098653f299dbdb7bf21275c317f825f3564c872"
            "3cf746df34136d776d42fe8ee51db095135e7b81ec893626b329bd8cc846a300");
  EXPECT_TRUE(verify_checkpoint(cp, key.pk.data()));
}

TEST(AuditCheckpoint, SignAndVerifyRoundTrip) {
  const auto key = testing::make_key(7);
  const Checkpoint cp = sign_checkpoint(100, kHead, 42, key.sk.data());
  EXPECT_EQ(cp.signature.size(), 2 * kSignatureSize);
  EXPECT_TRUE(verify_checkpoint(cp, key.pk.data()));
}

TEST(AuditCheckpoint, I1_WrongKeyIsRejected) {
  const auto key = testing::make_key(7);
  const auto other = testing::make_key(8);
  const Checkpoint cp = sign_checkpoint(100, kHead, 42, key.sk.data());
  EXPECT_FALSE(verify_checkpoint(cp, other.pk.data()));
}

// I1: every field is bound by the signature.
TEST(AuditCheckpoint, I1_EveryFieldIsSigned) {
  const auto key = testing::make_key(7);
  const Checkpoint cp = sign_checkpoint(100, kHead, 42, key.sk.data());
  Checkpoint c = cp;
  c.seq = 101;
  EXPECT_FALSE(verify_checkpoint(c, key.pk.data()));
  c = cp;
  c.time_us = 43;
  EXPECT_FALSE(verify_checkpoint(c, key.pk.data()));
  c = cp;
  c.head[10] = c.head[10] == '0' ? '1' : '0';
  EXPECT_FALSE(verify_checkpoint(c, key.pk.data()));
  for (std::size_t i = 0; i < cp.signature.size(); ++i) {
    c = cp;
    c.signature[i] = c.signature[i] == '0' ? '1' : '0';
    EXPECT_FALSE(verify_checkpoint(c, key.pk.data())) << "signature char " << i;
  }
}

TEST(AuditCheckpoint, NonCanonicalSignatureTextIsRejected) {
  const auto key = testing::make_key(7);
  Checkpoint cp = sign_checkpoint(100, kHead, 42, key.sk.data());
  Checkpoint upper = cp;
  for (auto& ch : upper.signature)
    ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  ASSERT_NE(upper.signature, cp.signature);
  EXPECT_FALSE(verify_checkpoint(upper, key.pk.data()));
  Checkpoint shorter = cp;
  shorter.signature.pop_back();
  EXPECT_FALSE(verify_checkpoint(shorter, key.pk.data()));
  Checkpoint empty = cp;
  empty.signature.clear();
  EXPECT_FALSE(verify_checkpoint(empty, key.pk.data()));
}

TEST(AuditCheckpoint, MessageIsDomainSeparatedFromEntries) {
  const Checkpoint cp{1, kHead, 0, {}};
  const Bytes msg = checkpoint_message(cp);
  Bytes tag;
  append_field(tag, kCheckpointDomain);
  ASSERT_GE(msg.size(), tag.size());
  EXPECT_TRUE(std::equal(tag.begin(), tag.end(), msg.begin()));
  Bytes entry_tag;
  append_field(entry_tag, kEntryDomain);
  EXPECT_FALSE(std::equal(entry_tag.begin(), entry_tag.end(), msg.begin()));
}

}  // namespace
}  // namespace baomi::audit
