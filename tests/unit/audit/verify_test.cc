// Tests for offline verification of the audit trail (I1): every edit, deletion, reordering,
// truncation beyond a checkpoint and forged checkpoint is reported at the right seq.
#include "audit/verify.h"

#include <gtest/gtest.h>

#include <functional>
#include <random>
#include <utility>

#include "audit_test_util.h"

namespace baomi::audit {
namespace {

using testing::make_chain;
using testing::make_checkpoints;
using testing::make_key;
using testing::TestKey;

VerifyReport verify(const std::vector<AuditEntry>& chain, std::vector<Checkpoint> cps,
                    const Bytes& public_key) {
  ChainVerifier v(public_key);
  v.add_checkpoints(std::move(cps));
  for (const auto& e : chain) {
    if (!v.feed(e)) break;
  }
  return v.finish();
}

class AuditVerify : public ::testing::Test {
 protected:
  void SetUp() override {
    key_ = make_key(1);
    chain_ = make_chain(1000);
    cps_ = make_checkpoints(chain_, 100, key_);
  }
  VerifyReport run() const { return verify(chain_, cps_, key_.public_key()); }
  VerifyReport run(const std::vector<AuditEntry>& chain) const {
    return verify(chain, cps_, key_.public_key());
  }
  void expect_bad_at(const VerifyReport& r, std::uint64_t seq) const {
    EXPECT_FALSE(r.ok);
    ASSERT_TRUE(r.first_bad_seq.has_value()) << r.problem;
    EXPECT_EQ(*r.first_bad_seq, seq) << r.problem;
    EXPECT_FALSE(r.problem.empty());
  }

  TestKey key_;
  std::vector<AuditEntry> chain_;
  std::vector<Checkpoint> cps_;
};

TEST_F(AuditVerify, CleanChainVerifies) {
  const VerifyReport r = run();
  EXPECT_TRUE(r.ok) << r.problem;
  EXPECT_EQ(r.entries, 1000u);
  EXPECT_EQ(r.head, chain_.back().hash);
  EXPECT_FALSE(r.first_bad_seq.has_value());
  EXPECT_TRUE(r.problem.empty());
  EXPECT_EQ(r.checkpoints_verified, 10u);
}

TEST_F(AuditVerify, CheckpointsInAnyOrderAndInSeveralBatches) {
  std::mt19937 rng(3);
  std::shuffle(cps_.begin(), cps_.end(), rng);
  ChainVerifier v(key_.public_key());
  std::vector<Checkpoint> first(cps_.begin(), cps_.begin() + 4);
  std::vector<Checkpoint> rest(cps_.begin() + 4, cps_.end());
  v.add_checkpoints(std::move(first));
  v.add_checkpoints(std::move(rest));
  for (const auto& e : chain_) ASSERT_TRUE(v.feed(e));
  const VerifyReport r = v.finish();
  EXPECT_TRUE(r.ok) << r.problem;
  EXPECT_EQ(r.checkpoints_verified, 10u);
}

TEST_F(AuditVerify, EmptyChainIsOk) {
  const VerifyReport r = verify({}, {}, key_.public_key());
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.entries, 0u);
  EXPECT_EQ(r.head, genesis_hash());
  EXPECT_EQ(r.checkpoints_verified, 0u);
}

TEST_F(AuditVerify, ChainWithoutCheckpointsVerifies) {
  const VerifyReport r = verify(chain_, {}, key_.public_key());
  EXPECT_TRUE(r.ok) << r.problem;
  EXPECT_EQ(r.entries, 1000u);
  EXPECT_EQ(r.checkpoints_verified, 0u);
}

// I1: a change to any single field of an entry is reported at that entry's seq.
TEST_F(AuditVerify, I1_EditingAnyFieldOfARandomEntryIsReportedAtThatEntry) {
  std::mt19937_64 rng(42);
  const std::vector<std::pair<const char*, std::function<void(AuditEntry&)>>> edits = {
      {"seq", [](AuditEntry& e) { e.seq += 1; }},
      {"seq down", [](AuditEntry& e) { e.seq -= 1; }},
      {"time_us", [](AuditEntry& e) { e.time_us += 1; }},
      {"actor", [](AuditEntry& e) { e.actor = "u-9999"; }},
      {"action", [](AuditEntry& e) { e.action += "x"; }},
      {"target", [](AuditEntry& e) { e.target = "document:d-other"; }},
      {"decision", [](AuditEntry& e) { e.decision = e.decision == "allow" ? "deny" : "allow"; }},
      {"rule", [](AuditEntry& e) { e.rule = e.rule.empty() ? "S9" : ""; }},
      {"policy_version", [](AuditEntry& e) { e.policy_version.back() ^= 1; }},
      {"detail", [](AuditEntry& e) { e.detail = "{}"; }},
      {"prev_hash", [](AuditEntry& e) { e.prev_hash[0] = e.prev_hash[0] == 'a' ? 'b' : 'a'; }},
      {"hash", [](AuditEntry& e) { e.hash[63] = e.hash[63] == 'a' ? 'b' : 'a'; }},
  };
  for (const auto& [name, edit] : edits) {
    const std::uint64_t seq = 2 + rng() % 998;  // seq >= 2 so "seq down" stays meaningful
    auto chain = chain_;
    edit(chain[seq - 1]);
    SCOPED_TRACE(std::string(name) + " of entry " + std::to_string(seq));
    const VerifyReport r = run(chain);
    expect_bad_at(r, seq);
    EXPECT_EQ(r.entries, seq - 1);
    EXPECT_EQ(r.head, chain_[seq - 2].hash);
  }
}

// I1 and DESIGN "every single-byte change to any audit field is detected": every bit of the
// integers and several bit flips of every byte of every string field, in every entry.
TEST(AuditVerifyExhaustive, I1_EverySingleByteChangeIsDetected) {
  const TestKey key = make_key(5);
  const auto chain = make_chain(16);
  const auto cps = make_checkpoints(chain, 8, key);
  std::size_t cases = 0;
  auto check = [&](const std::vector<AuditEntry>& edited, std::uint64_t seq) {
    ++cases;
    const VerifyReport r = verify(edited, cps, key.public_key());
    ASSERT_FALSE(r.ok);
    ASSERT_EQ(r.first_bad_seq.value_or(0), seq) << r.problem;
  };
  for (std::size_t i = 0; i < chain.size(); ++i) {
    const std::uint64_t seq = chain[i].seq;
    for (int bit = 0; bit < 64; ++bit) {
      auto c = chain;
      c[i].seq ^= std::uint64_t{1} << bit;
      check(c, seq);
      c = chain;
      c[i].time_us = static_cast<std::int64_t>(static_cast<std::uint64_t>(c[i].time_us) ^
                                               (std::uint64_t{1} << bit));
      check(c, seq);
    }
    for (std::string AuditEntry::*field :
         {&AuditEntry::actor, &AuditEntry::action, &AuditEntry::target, &AuditEntry::decision,
          &AuditEntry::rule, &AuditEntry::policy_version, &AuditEntry::detail,
          &AuditEntry::prev_hash, &AuditEntry::hash}) {
      for (std::size_t pos = 0; pos < (chain[i].*field).size(); ++pos) {
        for (unsigned mask : {0x01u, 0x20u, 0x80u}) {  // 0x20 flips letter case
          auto c = chain;
          (c[i].*field)[pos] = static_cast<char>((c[i].*field)[pos] ^ mask);
          check(c, seq);
        }
      }
      auto longer = chain;
      (longer[i].*field) += "0";
      check(longer, seq);
      if (!(chain[i].*field).empty()) {
        auto shorter = chain;
        (shorter[i].*field).pop_back();
        check(shorter, seq);
      }
    }
  }
  EXPECT_GT(cases, 10000u);
}

TEST_F(AuditVerify, I1_DeletedMiddleEntryIsReported) {
  auto chain = chain_;
  chain.erase(chain.begin() + 499);  // seq 500
  const VerifyReport r = run(chain);
  expect_bad_at(r, 500);
  EXPECT_EQ(r.entries, 499u);
  EXPECT_NE(r.problem.find("missing"), std::string::npos) << r.problem;
}

TEST_F(AuditVerify, I1_DeletedFirstEntryIsReported) {
  auto chain = chain_;
  chain.erase(chain.begin());
  expect_bad_at(run(chain), 1);
}

// Rows returned in the wrong order.
TEST_F(AuditVerify, I1_SwappedEntriesAreReported) {
  auto chain = chain_;
  std::swap(chain[299], chain[300]);  // seq 300 and 301
  expect_bad_at(run(chain), 300);
  chain = chain_;
  std::swap(chain[10], chain[700]);
  expect_bad_at(run(chain), 11);
}

// Contents of two rows swapped while their seq numbers stay in place.
TEST_F(AuditVerify, I1_SwappedContentsAreReported) {
  auto chain = chain_;
  std::swap(chain[299], chain[300]);
  std::swap(chain[299].seq, chain[300].seq);
  expect_bad_at(run(chain), 300);
}

TEST_F(AuditVerify, I1_DuplicatedEntryIsReported) {
  auto chain = chain_;
  chain.insert(chain.begin() + 50, chain[49]);  // seq 50 twice
  const VerifyReport r = run(chain);
  expect_bad_at(r, 51);
  EXPECT_NE(r.problem.find("out of order"), std::string::npos) << r.problem;
}

// I1: someone without the key deletes entry 500 and re-seals everything after it: the chain is
// self-consistent, but the first signed checkpoint after the change no longer matches.
TEST_F(AuditVerify, I1_RewrittenHistoryIsCaughtByTheNextCheckpoint) {
  auto chain = chain_;
  chain.erase(chain.begin() + 499);
  std::string prev = chain[498].hash;
  for (std::size_t i = 499; i < chain.size(); ++i) {
    chain[i].seq = i + 1;
    seal_entry(chain[i], prev);
    prev = chain[i].hash;
  }
  const VerifyReport r = run(chain);
  expect_bad_at(r, 500);
  EXPECT_NE(r.problem.find("rewritten"), std::string::npos) << r.problem;
  EXPECT_EQ(r.checkpoints_verified, 4u);
}

TEST_F(AuditVerify, I1_TruncatedTailBeyondACheckpointIsReported) {
  auto chain = chain_;
  chain.resize(950);  // checkpoint 1000 now names a removed entry
  const VerifyReport r = run(chain);
  expect_bad_at(r, 951);
  EXPECT_NE(r.problem.find("entries missing after 950"), std::string::npos) << r.problem;
  EXPECT_EQ(r.entries, 950u);
  EXPECT_EQ(r.checkpoints_verified, 9u);
}

TEST_F(AuditVerify, I1_TruncatedToNothingIsReported) {
  const VerifyReport r = run({});
  expect_bad_at(r, 1);
  EXPECT_NE(r.problem.find("entries missing after 0"), std::string::npos) << r.problem;
}

// Documented limitation (docs/audit-format.md): removing entries after the newest checkpoint
// leaves a valid shorter chain; only a kept copy of a later checkpoint reveals it.
TEST_F(AuditVerify, TruncationAfterTheLastCheckpointIsNotDetectableByTheChainAlone) {
  auto chain = chain_;
  chain.resize(950);
  auto cps = cps_;
  cps.pop_back();  // drop checkpoint 1000, as if it was never made
  const VerifyReport r = verify(chain, cps, key_.public_key());
  EXPECT_TRUE(r.ok) << r.problem;
  EXPECT_EQ(r.entries, 950u);
}

TEST_F(AuditVerify, I1_ForgedCheckpointSignatureIsReported) {
  const TestKey attacker = make_key(99);
  cps_[3] = sign_checkpoint(cps_[3].seq, cps_[3].head, cps_[3].time_us, attacker.sk.data());
  const VerifyReport r = run();
  expect_bad_at(r, 400);
  EXPECT_NE(r.problem.find("invalid signature"), std::string::npos) << r.problem;
  EXPECT_EQ(r.checkpoints_verified, 3u);
}

TEST_F(AuditVerify, I1_AlteredCheckpointIsReported) {
  cps_[5].signature[7] = cps_[5].signature[7] == 'f' ? 'e' : 'f';
  expect_bad_at(run(), 600);
  cps_ = make_checkpoints(chain_, 100, key_);
  cps_[5].time_us += 1;
  expect_bad_at(run(), 600);
}

// A forged checkpoint past the end must not be mistaken for proof of truncation.
TEST_F(AuditVerify, I1_ForgedCheckpointBeyondTheTailIsReportedAsForged) {
  const TestKey attacker = make_key(99);
  cps_.push_back(sign_checkpoint(2000, chain_.back().hash, 0, attacker.sk.data()));
  const VerifyReport r = run();
  expect_bad_at(r, 2000);
  EXPECT_NE(r.problem.find("invalid signature"), std::string::npos) << r.problem;
}

TEST_F(AuditVerify, I1_CheckpointWithWrongHeadIsReported) {
  // Properly signed, but for a head that is not entry 700's hash.
  cps_[6] = sign_checkpoint(700, chain_[698].hash, chain_[699].time_us, key_.sk.data());
  const VerifyReport r = run();
  expect_bad_at(r, 700);
  EXPECT_NE(r.problem.find("does not match"), std::string::npos) << r.problem;
  EXPECT_EQ(r.checkpoints_verified, 6u);
}

TEST_F(AuditVerify, CheckpointHeadInUppercaseIsNotCanonical) {
  std::string upper = chain_[199].hash;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  cps_[1] = sign_checkpoint(200, upper, 0, key_.sk.data());
  expect_bad_at(run(), 200);
}

TEST_F(AuditVerify, CheckpointForSeqZeroIsReported) {
  cps_.push_back(sign_checkpoint(0, genesis_hash(), 0, key_.sk.data()));
  expect_bad_at(run(), 0);
  expect_bad_at(verify({}, {cps_.back()}, key_.public_key()), 0);
}

TEST_F(AuditVerify, WrongSizePublicKeyFailsOnlyWhenCheckpointsNeedIt) {
  const Bytes short_key(31, 0);
  const VerifyReport r = verify(chain_, cps_, short_key);
  expect_bad_at(r, 100);
  EXPECT_TRUE(verify(chain_, {}, short_key).ok);
}

TEST_F(AuditVerify, FeedAfterAProblemKeepsReturningFalse) {
  auto chain = chain_;
  chain[20].detail = "{}";
  ChainVerifier v(key_.public_key());
  v.add_checkpoints(cps_);
  std::size_t accepted = 0;
  for (const auto& e : chain) accepted += v.feed(e) ? 1 : 0;
  EXPECT_EQ(accepted, 20u);
  const VerifyReport r = v.finish();
  expect_bad_at(r, 21);
}

TEST_F(AuditVerify, AddingCheckpointsAfterFeedingIsABug) {
  ChainVerifier v(key_.public_key());
  ASSERT_TRUE(v.feed(chain_[0]));
  EXPECT_THROW(v.add_checkpoints(cps_), std::logic_error);
}

}  // namespace
}  // namespace baomi::audit
