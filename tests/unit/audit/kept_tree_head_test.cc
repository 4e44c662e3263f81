// An auditor who kept an old signed tree head proves the trail only grew since (S10, I1): a
// bundle asked for since that head's size carries the RFC 9162 consistency proof to its own
// head; the verifier accepts it with the kept head, and names the problem when the kept head
// comes from a forked (rewritten) trail, is newer than the bundle, is not signed by the key, or
// when the proof is missing or altered.
#include <gtest/gtest.h>

#include "audit/evidence_bundle.h"
#include "audit/kept_head.h"
#include "audit/tree_store.h"
#include "audit/ustar.h"
#include "audit_store_fixture.h"

namespace baomi::audit {
namespace {

class KeptTreeHead : public testing::AuditStoreTest {
 protected:
  Bytes build(std::vector<std::uint64_t> seqs, std::optional<std::uint64_t> since = {}) {
    BundleInput in{boost::json::object{{"case", "inv-1"}}, std::move(seqs), since};
    auto r = make_evidence_bundle(*store_, *log_, in, at(size_ + 1));
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : Bytes{};
  }
  static Bytes member(const Bytes& bundle, std::string_view name) {
    const auto files = read_ustar(bundle).value();
    for (const auto& f : files) {
      if (f.name == name) return f.data;
    }
    return {};
  }
  BundleReport check(const Bytes& bundle, const Bytes& kept) {
    const auto pk = log_->public_key();
    return verify_evidence_bundle(bundle, pk, std::span<const std::uint8_t>(kept));
  }
  static void expect_problem(const BundleReport& r, std::string_view prefix) {
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.problem.substr(0, prefix.size()), prefix) << r.problem;
  }
  // The tree head of size `size` of a trail that differs from this one from `fork_at` on,
  // signed by the same key: what a server that rewrote its trail would hand out.
  Bytes forked_head(std::uint64_t fork_at, std::uint64_t size) {
    const auto dir = dir_ / ("fork-" + std::to_string(fork_at) + "-" + std::to_string(size));
    std::filesystem::create_directories(dir);
    auto other = storage::sqlite::SqliteStore::open(dir / "baomi.db", true).value();
    AuditLog signer(testing::fixture_key(), "7d9a0c5e11b4", AuditOptions{16});
    EXPECT_TRUE(other
                    ->write([&](storage::WriteTx& tx) -> Result<void> {
                      for (std::uint64_t seq = 1; seq <= size; ++seq) {
                        auto e = event(seq);
                        if (seq >= fork_at) e.detail = R"({"rewritten":true})";
                        BAOMI_TRY(signer.append(tx, e, at(seq)));
                      }
                      return {};
                    })
                    .ok());
    BundleInput in{boost::json::object{}, {size}, std::nullopt};
    auto bundle = make_evidence_bundle(*other, signer, in, at(size + 1));
    EXPECT_TRUE(bundle.ok());
    return bundle.ok() ? member(*bundle, "tree-head.json") : Bytes{};
  }
};

TEST_F(KeptTreeHead, S10_I1_BundleSinceAKeptHeadProvesTheTrailOnlyGrew) {
  grow_to(20);
  const Bytes kept = member(build({5}), "tree-head.json");  // the head of size 16
  ASSERT_NE(to_string(kept).find(R"("tree_size":16)"), std::string::npos);
  grow_to(70);
  checkpoint_now();
  const Bytes later = build({40}, 16);
  const auto fs = read_ustar(later).value();
  ASSERT_EQ(fs[3].name, "consistency.json");
  EXPECT_EQ(to_string(fs[3].data).substr(0, 41), R"({"from_tree_size":16,"to_tree_size":48,"p)");
  const auto report = check(later, kept);
  ASSERT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.kept_tree_size, 16u);
  EXPECT_EQ(report.tree_head.tree_size, 48u);
  // The same bundle without a kept head still verifies (the proof is only checked for shape).
  const auto pk = log_->public_key();
  EXPECT_TRUE(verify_evidence_bundle(later, pk).ok);
  // Deterministic: the same request gives the same bytes.
  EXPECT_EQ(build({40}, 16), later);
  // A head of the same size as the bundle's: the roots must be equal; no proof needed.
  const Bytes same = member(later, "tree-head.json");
  EXPECT_TRUE(check(later, same).ok);
  EXPECT_TRUE(check(build({40}), same).ok);
  // A kept head larger than every entry: the bundle's head is chosen to cover it.
  const auto covering = check(build({3}, 48), same);
  EXPECT_TRUE(covering.ok) << covering.problem;
  EXPECT_EQ(covering.tree_head.tree_size, 48u);
}

TEST_F(KeptTreeHead, S10_I1_AHeadFromAForkedTrailFailsClearly) {
  grow_to(70);
  checkpoint_now();
  const Bytes bundle = build({40}, 16);
  // Same key, same size 16, but entry 10 onward rewritten: the consistency proof fails.
  expect_problem(check(bundle, forked_head(10, 16)), "FORKED TRAIL: the bundle's trail (size 48)");
  // Same size as the bundle's head, different root.
  expect_problem(check(bundle, forked_head(30, 48)),
                 "FORKED TRAIL: the kept tree head and the bundle's both cover 48 entries");
  // A trail that differs only after the kept head's size agrees with it: it still verifies.
  const auto later_fork = check(build({40}, 32), forked_head(40, 32));
  EXPECT_TRUE(later_fork.ok) << later_fork.problem;
}

TEST_F(KeptTreeHead, S10_I1_MissingNewerForeignOrAlteredFailsNamingTheProblem) {
  grow_to(70);
  checkpoint_now();
  const Bytes kept16 = member(build({5}), "tree-head.json");
  const Bytes kept64 = member(build({60}), "tree-head.json");
  expect_problem(check(build({40}), kept16),
                 "the bundle carries no consistency proof from tree size 16: download it with "
                 "?since_tree_size=16");
  expect_problem(check(build({40}, 32), kept16),
                 "the bundle carries no consistency proof from tree size 16");
  expect_problem(check(build({40}, 16), kept64),
                 "the kept tree head (size 64) is newer than the bundle's (size 48)");
  Bytes forged = kept16;
  const auto at_sig = to_string(forged).find(R"("signature":")") + 14;
  forged[at_sig] = forged[at_sig] == '0' ? '1' : '0';
  expect_problem(check(build({40}, 16), forged), "the kept tree head's signature is invalid");
  expect_problem(check(build({40}, 16), to_bytes("not json")), "the kept tree head is malformed");
  // An altered proof hash fails as a fork would; a malformed proof file is named.
  auto files = read_ustar(build({40}, 16)).value();
  Bytes& proof = files[3].data;
  const auto at_hash = to_string(proof).find(R"("proof":[")") + 10;
  proof[at_hash] = proof[at_hash] == '0' ? '1' : '0';
  expect_problem(check(write_ustar(files), kept16), "FORKED TRAIL");
  files[3].data = to_bytes(R"({"from_tree_size":0,"to_tree_size":48,"proof":[]})");
  expect_problem(check(write_ustar(files), kept16), "consistency.json malformed");
}

// The stored trail against a kept head (`baomi restore` / `audit verify --kept-tree-head`, I1):
// a trail shorter than the head is TRUNCATED, one whose prefix hashes otherwise is FORKED, and
// one that holds it (same size, or more) passes; the checkpoint answer's form is accepted.
TEST_F(KeptTreeHead, I1_StoredTrailAgainstAKeptHeadNamesTruncationAndFork) {
  grow_to(70);
  checkpoint_now();
  const Bytes kept16 = member(build({5}), "tree-head.json");
  const Bytes kept64 = member(build({60}), "tree-head.json");
  const auto pk = log_->public_key();
  auto against = [&](std::uint64_t trail_size, const Bytes& kept) {
    KeptHeadCheck out;
    EXPECT_TRUE(store_
                    ->read([&](storage::ReadTx& tx) -> Result<void> {
                      BAOMI_ASSIGN_OR_RETURN(auto root, stored_root(tx, trail_size));
                      BAOMI_ASSIGN_OR_RETURN(
                          out, check_kept_tree_head(tx, trail_size,
                                                    to_hex(root.data(), root.size()), pk, kept));
                      return {};
                    })
                    .ok());
    return out;
  };
  EXPECT_EQ(against(70, kept16).verdict, KeptHeadVerdict::kExtends);
  EXPECT_EQ(against(64, kept64).verdict, KeptHeadVerdict::kExtends);
  const auto truncated = against(40, kept64);
  EXPECT_EQ(truncated.verdict, KeptHeadVerdict::kTruncated);
  EXPECT_EQ(truncated.problem,
            "TRUNCATED TRAIL: the kept tree head covers 64 entries but this trail holds only 40; "
            "entries 41..64 are missing (a restore from an older backup, or a cut trail)");
  const auto forked = against(70, forked_head(10, 16));
  EXPECT_EQ(forked.verdict, KeptHeadVerdict::kForked);
  EXPECT_EQ(forked.problem.substr(0, 45), "FORKED TRAIL: the first 16 entries of this tr");
  EXPECT_EQ(against(70, forked_head(30, 64)).verdict, KeptHeadVerdict::kForked);
  Bytes forged = kept16;
  const auto at_sig = to_string(forged).find(R"("signature":")") + 14;
  forged[at_sig] = forged[at_sig] == '0' ? '1' : '0';
  EXPECT_EQ(against(70, forged).verdict, KeptHeadVerdict::kUnusable);
  EXPECT_EQ(against(70, to_bytes("[]")).verdict, KeptHeadVerdict::kUnusable);
  // GET /api/v1/audit/checkpoint's answer carries the same head under its own names.
  auto th = boost::json::parse(to_string(kept64)).as_object();
  boost::json::object answer{{"seq", th["tree_size"]},
                             {"head", th["head"]},
                             {"signature", std::string(128, '0')},
                             {"tree_size", th["tree_size"]},
                             {"root_hash", th["root_hash"]},
                             {"tree_head_signature", th["signature"]},
                             {"tree_head_time_us", th["time_us"]}};
  const Bytes answer_bytes = to_bytes(boost::json::serialize(answer));
  EXPECT_EQ(against(64, answer_bytes).verdict, KeptHeadVerdict::kExtends);
  EXPECT_EQ(against(63, answer_bytes).verdict, KeptHeadVerdict::kTruncated);
}

TEST_F(KeptTreeHead, RefusesASinceOutsideTheTrail) {
  grow_to(20);
  auto built = [&](std::uint64_t since) {
    return make_evidence_bundle(*store_, *log_, {boost::json::object{}, {3}, since}, at(21));
  };
  EXPECT_EQ(built(0).error().kind, ErrorKind::kInvalidArgument);
  auto beyond = built(21);
  ASSERT_FALSE(beyond.ok());
  EXPECT_NE(beyond.error().message.find("since_tree_size 21 is beyond the trail"),
            std::string::npos);
}

}  // namespace
}  // namespace baomi::audit
