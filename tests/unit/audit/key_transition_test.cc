// Audit signing-key rotation (I1): a verifier that trusts only the first key follows the
// signed hand-overs in the trail to the keys of later checkpoints and tree heads; a checkpoint
// signed by a key the chain does not reach, a forged, replayed or unsigned transition, and a
// truncation that removes a transition all fail, naming the problem. Also the server side:
// AuditLog::rotate_signing_key over a real store, verify_store and evidence bundles after it.
#include "audit/key_transition.h"

#include <gtest/gtest.h>

#include <cctype>

#include "audit/evidence_bundle.h"
#include "audit/ustar.h"
#include "audit/verify.h"
#include "audit_store_fixture.h"
#include "audit_test_util.h"
#include "storage/meta.h"

namespace baomi::audit {
namespace {

crypto::SigningKey key_of(std::uint8_t b) {
  return crypto::SigningKey::from_seed(Bytes(32, b)).value();
}

Checkpoint checkpoint_by(const AuditEntry& e, const crypto::SigningKey& key) {
  Checkpoint cp{e.seq, e.hash, e.time_us, {}};
  cp.signature = to_hex(key.sign(checkpoint_message(cp)));
  return cp;
}

// A chain of `n` entries; at each seq in `at`, a transition entry whose detail `make` returns
// (given its seq and prev_hash), re-hashed so that only the transition itself can be wrong.
using TransitionMaker = std::function<std::string(std::uint64_t, const std::string&)>;
std::vector<AuditEntry> chain_with(
    std::uint64_t n, const std::vector<std::pair<std::uint64_t, TransitionMaker>>& at) {
  std::vector<AuditEntry> chain;
  std::string prev = genesis_hash();
  for (std::uint64_t seq = 1; seq <= n; ++seq) {
    AuditEntry e = testing::make_entry(seq);
    for (const auto& [where, make] : at) {
      if (where != seq) continue;
      e.action = std::string(kKeyTransitionAction);
      e.decision = "allow";
      e.detail = make(seq, prev);
    }
    seal_entry(e, prev);
    prev = e.hash;
    chain.push_back(std::move(e));
  }
  return chain;
}

TransitionMaker hand_over(const crypto::SigningKey& from, const crypto::SigningKey& to) {
  return [&from, &to](std::uint64_t seq, const std::string& prev) {
    return key_transition_detail(sign_key_transition(seq, prev, from, to));
  };
}

// Checkpoints every `every` entries, each signed by the key `signer_at` names for its seq.
std::vector<Checkpoint> checkpoints(
    const std::vector<AuditEntry>& chain, std::uint64_t every,
    const std::function<const crypto::SigningKey&(std::uint64_t)>& signer_at) {
  std::vector<Checkpoint> out;
  for (const auto& e : chain) {
    if (e.seq % every == 0) out.push_back(checkpoint_by(e, signer_at(e.seq)));
  }
  return out;
}

VerifyReport verify_transition(const std::vector<AuditEntry>& chain, std::vector<Checkpoint> cps,
                               const Bytes& trusted) {
  ChainVerifier v(trusted);
  v.add_checkpoints(std::move(cps));
  for (const auto& e : chain) {
    if (!v.feed(e)) break;
  }
  return v.finish();
}

void expect_fails_at(const VerifyReport& r, std::uint64_t seq, std::string_view words) {
  EXPECT_FALSE(r.ok);
  ASSERT_TRUE(r.first_bad_seq.has_value()) << r.problem;
  EXPECT_EQ(*r.first_bad_seq, seq) << r.problem;
  EXPECT_NE(r.problem.find(words), std::string::npos) << r.problem;
}

class KeyChain : public ::testing::Test {
 protected:
  crypto::SigningKey a_ = key_of(1), b_ = key_of(2), c_ = key_of(3), mallory_ = key_of(9);
  const crypto::SigningKey& a_then_b(std::uint64_t seq) const { return seq < 150 ? a_ : b_; }
};

TEST_F(KeyChain, I1_VerifierFollowsTheHandOverFromTheFirstKey) {
  const auto chain = chain_with(300, {{150, hand_over(a_, b_)}});
  const auto r = verify_transition(chain,
                                   checkpoints(
                                       chain, 50, [&](auto s) -> auto& { return a_then_b(s); }),
                                   a_.public_key());
  EXPECT_TRUE(r.ok) << r.problem;
  EXPECT_EQ(r.checkpoints_verified, 6u);
  ASSERT_EQ(r.signing_keys.size(), 2u);
  EXPECT_EQ(r.signing_keys[0].public_key, a_.public_key());
  EXPECT_EQ(r.signing_keys[1].from_seq, 150u);
  EXPECT_EQ(r.signing_keys[1].public_key, b_.public_key());
}

TEST_F(KeyChain, I1_TwoRotationsChainAndKeyAtNamesTheKeyInForce) {
  const auto chain = chain_with(300, {{100, hand_over(a_, b_)}, {200, hand_over(b_, c_)}});
  const auto signer = [&](std::uint64_t s) -> const crypto::SigningKey& {
    return s < 100 ? a_ : s < 200 ? b_ : c_;
  };
  const auto r = verify_transition(chain, checkpoints(chain, 25, signer), a_.public_key());
  EXPECT_TRUE(r.ok) << r.problem;
  EXPECT_EQ(r.signing_keys.size(), 3u);
  SigningKeyChain keys(a_.public_key());
  ASSERT_FALSE(keys.follow(sign_key_transition(100, genesis_hash(), a_, b_)).has_value());
  ASSERT_FALSE(keys.follow(sign_key_transition(200, genesis_hash(), b_, c_)).has_value());
  EXPECT_EQ(keys.key_at(99), a_.public_key());
  EXPECT_EQ(keys.key_at(100), b_.public_key());
  EXPECT_EQ(keys.key_at(250), c_.public_key());
}

TEST_F(KeyChain, I1_CheckpointByAKeyNoTransitionReachesFails) {
  // The trail has no hand-over, yet checkpoints from 150 on are signed by another key.
  const auto chain = chain_with(300, {});
  const auto r = verify_transition(chain,
                                   checkpoints(
                                       chain, 50, [&](auto s) -> auto& { return a_then_b(s); }),
                                   a_.public_key());
  expect_fails_at(r, 150, "not reach");
}

TEST_F(KeyChain, I1_OldKeyCannotSignCheckpointsAfterTheHandOver) {
  // A thief of the old key signs a checkpoint after the rotation: refused.
  const auto chain = chain_with(300, {{150, hand_over(a_, b_)}});
  const auto r = verify_transition(chain,
                                   checkpoints(
                                       chain, 50, [&](auto) -> auto& { return a_; }),
                                   a_.public_key());
  expect_fails_at(r, 150, "invalid signature");
}

TEST_F(KeyChain, I1_ForgedTransitionIsRefused) {
  // Someone with write access to the database but without the old key re-hashes the trail and
  // names the first key as the old one, signing with their own.
  const auto forged = [&](std::uint64_t seq, const std::string& prev) {
    KeyTransition t = sign_key_transition(seq, prev, mallory_, b_);
    t.old_public_key = to_hex(a_.public_key());
    return key_transition_detail(t);
  };
  const auto chain = chain_with(300, {{150, forged}});
  const auto r = verify_transition(chain,
                                   checkpoints(
                                       chain, 50, [&](auto s) -> auto& { return a_then_b(s); }),
                                   a_.public_key());
  expect_fails_at(r, 150, "not signed by the audit key in force");
}

TEST_F(KeyChain, I1_TransitionFromAnotherKeyIsRefused) {
  const auto chain = chain_with(300, {{150, hand_over(mallory_, b_)}});
  const auto r = verify_transition(chain,
                                   checkpoints(
                                       chain, 50, [&](auto s) -> auto& { return a_then_b(s); }),
                                   a_.public_key());
  expect_fails_at(r, 150, "not the audit key in force");
}

TEST_F(KeyChain, I1_TransitionWithoutTheNewKeysCountersignatureIsRefused) {
  const auto uncountersigned = [&](std::uint64_t seq, const std::string& prev) {
    KeyTransition t = sign_key_transition(seq, prev, a_, b_);
    t.new_signature = to_hex(mallory_.sign(key_transition_message(t)));
    return key_transition_detail(t);
  };
  const auto chain = chain_with(300, {{150, uncountersigned}});
  const auto r = verify_transition(chain,
                                   checkpoints(
                                       chain, 50, [&](auto s) -> auto& { return a_then_b(s); }),
                                   a_.public_key());
  expect_fails_at(r, 150, "not countersigned");
}

TEST_F(KeyChain, I1_TransitionReplayedAtAnotherPlaceIsRefused) {
  // A genuine hand-over signed for seq 150, copied into entry 160: the message binds the seq.
  std::string genuine;
  const auto chain_a = chain_with(300, {{150, [&](std::uint64_t seq, const std::string& prev) {
                                           genuine = hand_over(a_, b_)(seq, prev);
                                           return genuine;
                                         }}});
  ASSERT_EQ(chain_a.size(), 300u);
  const auto replayed = [&](std::uint64_t, const std::string&) { return genuine; };
  const auto chain = chain_with(300, {{160, replayed}});
  const auto r =
      verify_transition(chain,
                        checkpoints(
                            chain, 50, [&](auto s) -> auto& { return s < 160 ? a_ : b_; }),
                        a_.public_key());
  expect_fails_at(r, 160, "not signed by the audit key in force");
}

TEST_F(KeyChain, I1_MalformedTransitionIsRefused) {
  const auto chain = chain_with(
      300, {{150, [](std::uint64_t, const std::string&) { return std::string("{\"x\":1}"); }}});
  const auto r = verify_transition(chain, {}, a_.public_key());
  expect_fails_at(r, 150, "malformed");
}

TEST_F(KeyChain, I1_TruncationThatRemovesTheHandOverIsStillCaught) {
  // Entries 140.. are cut; the kept checkpoint at 300 (new key) can no longer be reached.
  auto chain = chain_with(300, {{150, hand_over(a_, b_)}});
  auto cps = checkpoints(
      chain, 50, [&](auto s) -> auto& { return a_then_b(s); });
  chain.resize(139);
  const auto r = verify_transition(chain, cps, a_.public_key());
  EXPECT_FALSE(r.ok);
  EXPECT_FALSE(r.problem.empty());
}

TEST_F(KeyChain, I1_RefusedRotationEntryChangesNoKey) {
  // A refused rotation is audited under the same action with "deny": no hand-over.
  auto chain = chain_with(100, {});
  std::string prev = genesis_hash();
  for (auto& e : chain) {
    if (e.seq == 40) {
      e.action = std::string(kKeyTransitionAction);
      e.decision = "deny";
      e.detail = "{}";
    }
    seal_entry(e, prev);
    prev = e.hash;
  }
  const auto r = verify_transition(chain,
                                   checkpoints(
                                       chain, 20, [&](auto) -> auto& { return a_; }),
                                   a_.public_key());
  EXPECT_TRUE(r.ok) << r.problem;
  EXPECT_EQ(r.signing_keys.size(), 1u);
}

TEST(KeyTransitionRecord, I1_DetailAndJsonRoundTripStrictly) {
  const auto a = key_of(1), b = key_of(2);
  const auto t = sign_key_transition(7, genesis_hash(), a, b);
  // The four members in the order docs/audit-format.md ("Key transitions") gives.
  EXPECT_EQ(key_transition_detail(t), R"({"old_public_key":")" + t.old_public_key +
                                          R"(","new_public_key":")" + t.new_public_key +
                                          R"(","signature":")" + t.signature +
                                          R"(","new_signature":")" + t.new_signature + R"("})");
  const auto back = parse_key_transition_detail(7, genesis_hash(), key_transition_detail(t));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->signature, t.signature);
  EXPECT_EQ(back->new_public_key, t.new_public_key);
  const auto json_back = parse_key_transition_json(key_transition_json(t));
  ASSERT_TRUE(json_back.has_value());
  EXPECT_EQ(json_back->seq, 7u);
  EXPECT_EQ(json_back->new_signature, t.new_signature);
  // Upper-case hex is another spelling of the same bytes: refused, as everywhere in the trail.
  auto upper = key_transition_json(t);
  std::string sig = t.signature;
  for (auto& ch : sig) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  upper["signature"] = sig;
  EXPECT_FALSE(parse_key_transition_json(upper).has_value());
  EXPECT_FALSE(parse_key_transition_detail(7, genesis_hash(), "not json").has_value());
}

// The server side over a real store: rotate, append more, checkpoint, verify from the first key.
class KeyRotationStore : public testing::AuditStoreTest {
 protected:
  void SetUp() override {
    AuditStoreTest::SetUp();
    barrier_ = std::make_unique<barrier::Barrier>(
        barrier::Keyring::open(master_.clone(), {barrier::Keyring::new_kek(master_, 1)}).value());
    log_->set_key_vault(barrier_.get());
    first_ = log_->public_key();
  }
  KeyTransition rotate() {
    std::optional<KeyTransition> t;
    EXPECT_TRUE(store_
                    ->write([&](storage::WriteTx& tx) -> Result<void> {
                      BAOMI_ASSIGN_OR_RETURN(
                          t, log_->rotate_signing_key(tx, "u-secadmin", "SoD", at(size_ + 1)));
                      return {};
                    })
                    .ok());
    ++size_;
    return *t;
  }
  VerifyReport verify_now() {
    return read<VerifyReport>(
        [&](storage::ReadTx& tx) { return verify_store(tx, first_).value(); });
  }

  crypto::SecretKey master_ = crypto::SecretKey::generate();
  std::unique_ptr<barrier::Barrier> barrier_;
  Bytes first_;
};

TEST_F(KeyRotationStore, I1_RotatedTrailVerifiesFromTheFirstKey) {
  grow_to(40);
  checkpoint_now();
  const auto t = rotate();
  EXPECT_EQ(t.seq, 41u);
  EXPECT_EQ(t.old_public_key, to_hex(first_));
  EXPECT_NE(log_->public_key(), first_);
  EXPECT_EQ(log_->first_public_key(), first_);
  grow_to(100);
  checkpoint_now();
  const auto r = verify_now();
  EXPECT_TRUE(r.ok) << r.problem;
  EXPECT_EQ(r.entries, 100u);
  ASSERT_EQ(r.signing_keys.size(), 2u);
  EXPECT_EQ(r.signing_keys[1].from_seq, 41u);
  // The rotated key is stored sealed, never in clear: the seed does not appear in the meta row.
  const auto sealed = read<std::optional<Bytes>>(
      [](storage::ReadTx& tx) { return storage::get_meta(tx, AuditLog::kSigningKeyMeta).value(); });
  ASSERT_TRUE(sealed.has_value());
  EXPECT_GT(sealed->size(), 32u);
  // A second log opened on the same store (another instance) signs with the rotated key.
  AuditLog other(testing::fixture_key(), "7d9a0c5e11b4", AuditOptions{16});
  other.set_key_vault(barrier_.get());
  read<bool>([&](storage::ReadTx& tx) { return other.refresh_signing_key(tx).ok(); });
  EXPECT_EQ(other.public_key(), log_->public_key());
}

TEST_F(KeyRotationStore, I1_VerifyingWithTheNewKeyAloneFails) {
  grow_to(20);
  rotate();
  grow_to(60);
  checkpoint_now();
  const auto r = read<VerifyReport>(
      [&](storage::ReadTx& tx) { return verify_store(tx, log_->public_key()).value(); });
  EXPECT_FALSE(r.ok);
}

TEST_F(KeyRotationStore, I1_S10_BundleAfterRotationVerifiesFromTheFirstKey) {
  grow_to(30);
  checkpoint_now();
  rotate();
  grow_to(70);
  checkpoint_now();
  BundleInput in{boost::json::object{{"kind", "test"}}, {5, 60}, std::nullopt};
  const auto bundle = make_evidence_bundle(*store_, *log_, in, at(size_ + 1)).value();
  const auto r = verify_evidence_bundle(bundle, first_);
  EXPECT_TRUE(r.ok) << r.problem;
  EXPECT_EQ(r.key_transitions, 1u);
  // A tampered hand-over (one hex digit of the old key's signature) fails, naming it.
  auto files = read_ustar(bundle).value();
  for (auto& f : files) {
    if (f.name != "key-transitions.json") continue;
    std::string text = to_string(f.data);
    const auto at = text.find("\"signature\":\"") + 13;
    text[at] = text[at] == '0' ? '1' : '0';
    f.data = to_bytes(text);
  }
  const auto bad = verify_evidence_bundle(write_ustar(files), first_);
  EXPECT_FALSE(bad.ok);
  EXPECT_NE(bad.problem.find("key transition at seq 31"), std::string::npos) << bad.problem;
}

TEST_F(KeyRotationStore, I1_RotationWithoutAVaultFailsClosed) {
  AuditLog no_vault(testing::fixture_key(), "7d9a0c5e11b4", AuditOptions{16});
  grow_to(5);
  const auto rotated = store_->write([&](storage::WriteTx& tx) -> Result<void> {
    BAOMI_TRY(no_vault.rotate_signing_key(tx, "u-1", "SoD", at(6)));
    return {};
  });
  EXPECT_FALSE(rotated.ok());
  rotate();
  // A log that cannot open the rotated key refuses to checkpoint rather than sign with the old.
  const auto cp = store_->write([&](storage::WriteTx& tx) -> Result<void> {
    BAOMI_TRY(no_vault.append(tx, AuditStoreTest::event(7), at(7)));
    return no_vault.checkpoint(tx, at(7));
  });
  EXPECT_FALSE(cp.ok());
}

}  // namespace
}  // namespace baomi::audit
