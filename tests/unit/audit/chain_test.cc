// Tests for the canonical entry encoding and the hash chain (I1).
#include "audit/chain.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "audit_test_util.h"

namespace baomi::audit {
namespace {

// The vectors in docs/audit-format.md, computed independently with Python's hashlib.
AuditEntry doc_entry1() {
  AuditEntry e;
  e.seq = 1;
  e.time_us = 1700000000000000;
  e.actor = "u-0001";
  e.action = "document.read_content";
  e.target = "document:d-42";
  e.decision = "allow";
  e.rule = "S6";
  e.policy_version = "9f2c";
  e.detail = R"({"version":3})";
  return e;
}

AuditEntry doc_entry2() {
  AuditEntry e;
  e.seq = 2;
  e.time_us = -1;
  e.actor = "-";
  e.action = "session.create";
  e.target = "user:u-0002";
  e.decision = "deny";
  e.rule = "";
  e.policy_version = "9f2c";
  e.detail = "{}";
  return e;
}

constexpr const char* kDocHash1 =
    "3c9d0e01c7007e7819c431281d186d1203f447327989031b12ab0bdb2aab1a3c";
constexpr const char* kDocHash2 =
    "a6b1cd8cbd41991b2690d15c44918b0fe924d5350016d843575cb42437ccce50";

TEST(AuditChain, CanonicalBytesMatchDocumentedVector) {
  EXPECT_EQ(to_hex(canonical_bytes(doc_entry1())),
            "0000000e62616f6d692d61756469742d76310000000000000001"
            "00060a24181e4000"
            "00000006752d30303031"
            "00000015646f63756d656e742e726561645f636f6e74656e74"
            "0000000d646f63756d656e743a642d3432"
            "00000005616c6c6f77"
            "000000025336"
            "0000000439663263"
            "0000000d7b2276657273696f6e223a337d");
  // Negative time is encoded as two's complement; an empty rule as a zero length.
  EXPECT_EQ(to_hex(canonical_bytes(doc_entry2())),
            "0000000e62616f6d692d61756469742d76310000000000000002ffffffffffffffff"
            "000000012d0000000e73657373696f6e2e6372656174650000000b757365723a752d30303032"
            "0000000464656e79000000000000000439663263000000027b7d");
}

TEST(AuditChain, HashesMatchDocumentedVectors) {
  EXPECT_EQ(compute_entry_hash(genesis_hash(), doc_entry1()), kDocHash1);
  EXPECT_EQ(compute_entry_hash(kDocHash1, doc_entry2()), kDocHash2);
}

TEST(AuditChain, GenesisIsSixtyFourZeros) {
  EXPECT_EQ(genesis_hash(), std::string(64, '0'));
  EXPECT_TRUE(is_hash_hex(genesis_hash()));
}

TEST(AuditChain, SealEntrySetsPrevAndHash) {
  AuditEntry e = doc_entry1();
  seal_entry(e, genesis_hash());
  EXPECT_EQ(e.prev_hash, genesis_hash());
  EXPECT_EQ(e.hash, kDocHash1);
  AuditEntry e2 = doc_entry2();
  seal_entry(e2, e.hash);
  EXPECT_EQ(e2.prev_hash, kDocHash1);
  EXPECT_EQ(e2.hash, kDocHash2);
}

TEST(AuditChain, HashIgnoresStoredPrevAndHashFields) {
  AuditEntry e = doc_entry1();
  e.prev_hash = "junk";
  e.hash = "junk";
  EXPECT_EQ(compute_entry_hash(genesis_hash(), e), kDocHash1);
}

TEST(AuditChain, HashDependsOnPreviousHash) {
  AuditEntry e = doc_entry2();
  EXPECT_NE(compute_entry_hash(kDocHash1, e), compute_entry_hash(genesis_hash(), e));
}

// I1: explicit lengths make the encoding injective, so shifting bytes between neighbouring
// fields (which plain concatenation could not tell apart) changes the bytes and the hash.
TEST(AuditChain, I1_ShiftingBytesBetweenFieldsChangesEncoding) {
  AuditEntry a = doc_entry1();
  AuditEntry b = a;
  b.actor = a.actor + "d";
  b.action = a.action.substr(1);
  ASSERT_EQ(a.actor + a.action, b.actor + b.action);
  EXPECT_NE(canonical_bytes(a), canonical_bytes(b));
  EXPECT_NE(compute_entry_hash(genesis_hash(), a), compute_entry_hash(genesis_hash(), b));

  AuditEntry c = a;
  c.rule = "";
  c.policy_version = "S6" + a.policy_version;
  EXPECT_NE(canonical_bytes(a), canonical_bytes(c));
}

TEST(AuditChain, CanonicalBytesStartWithDomainTag) {
  const Bytes b = canonical_bytes(doc_entry1());
  const Bytes tag_field = [] {
    Bytes t;
    append_field(t, kEntryDomain);
    return t;
  }();
  ASSERT_GE(b.size(), tag_field.size());
  EXPECT_TRUE(std::equal(tag_field.begin(), tag_field.end(), b.begin()));
}

TEST(AuditChain, AppendCanonicalBytesAppends) {
  Bytes out = {0xaa};
  append_canonical_bytes(out, doc_entry1());
  Bytes expected = {0xaa};
  const Bytes cb = canonical_bytes(doc_entry1());
  expected.insert(expected.end(), cb.begin(), cb.end());
  EXPECT_EQ(out, expected);
}

TEST(AuditChain, RawAndHexHashesAgree) {
  Bytes scratch;
  const RawHash h = compute_entry_hash_raw(RawHash{}, doc_entry1(), scratch);
  EXPECT_EQ(to_hex(h.data(), h.size()), kDocHash1);
}

TEST(AuditChain, NonCanonicalPreviousHashIsACallerBug) {
  EXPECT_THROW((void)compute_entry_hash("00", doc_entry1()), std::invalid_argument);
  std::string upper(kDocHash1);
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_THROW((void)compute_entry_hash(upper, doc_entry1()), std::invalid_argument);
  AuditEntry e = doc_entry1();
  EXPECT_THROW(seal_entry(e, "zz"), std::invalid_argument);
}

TEST(AuditChain, StrictHexAcceptsOnlyLowercaseOfExactLength) {
  EXPECT_TRUE(is_hash_hex(kDocHash1));
  EXPECT_FALSE(is_hash_hex(std::string(kDocHash1).substr(2)));
  EXPECT_FALSE(is_hash_hex(std::string(kDocHash1) + "00"));
  std::string upper(kDocHash1);
  upper[1] = 'C';
  EXPECT_FALSE(is_hash_hex(upper));
  std::string bad(kDocHash1);
  bad[5] = 'g';
  EXPECT_FALSE(is_hash_hex(bad));
  std::uint8_t out[2];
  EXPECT_TRUE(decode_lower_hex("0aff", out, 2));
  EXPECT_EQ(out[0], 0x0a);
  EXPECT_EQ(out[1], 0xff);
  EXPECT_FALSE(decode_lower_hex("0aFF", out, 2));
}

TEST(AuditChain, MakeChainLinksEveryEntry) {
  const auto chain = testing::make_chain(50);
  std::string prev = genesis_hash();
  for (const auto& e : chain) {
    EXPECT_EQ(e.prev_hash, prev);
    EXPECT_EQ(e.hash, compute_entry_hash(prev, e));
    prev = e.hash;
  }
}

}  // namespace
}  // namespace baomi::audit
