// The stored audit Merkle tree (I1, S10): nodes written with their entries (also under group
// commit and savepoint rollback), the migration of older trails, proofs from the store, and
// `verify_store` checking tree heads and stored nodes.
#include "audit/tree_store.h"

#include <gtest/gtest.h>

#include "audit/trail_tables.h"
#include "audit_store_fixture.h"
#include "storage/sqlite/db.h"

namespace baomi::audit {
namespace {

class AuditTreeStore : public testing::AuditStoreTest {
 protected:
  // The roots recomputed from the stored entries' hashes alone (no stored node involved).
  std::vector<RawHash> roots_from_entries() {
    return read<std::vector<RawHash>>([](storage::ReadTx& tx) {
      std::vector<RawHash> roots{merkle_empty_root()};
      MerkleFrontier f;
      EXPECT_TRUE(audit::scan_audit(tx, [&](const AuditEntryView& row) {
                    f.append(merkle_leaf_hash(*parse_hash_hex(row.hash)));
                    roots.push_back(f.root());
                    return true;
                  }).ok());
      return roots;
    });
  }
  void sql(const std::string& text) {
    auto db = storage::sqlite::Db::open(dir_ / "baomi.db", false).value();
    ASSERT_TRUE(db.exec(text.c_str()).ok());
  }
  VerifyReport verify() {
    return read<VerifyReport>(
        [&](storage::ReadTx& tx) { return verify_store(tx, log_->public_key()).value(); });
  }
};

TEST_F(AuditTreeStore, I1_StoredRootsAndProofsMatchTheEntriesUnderGroupCommit) {
  grow_to(100, 7);  // several appends per transaction
  const auto roots = roots_from_entries();
  ASSERT_EQ(roots.size(), 101u);
  read<bool>([&](storage::ReadTx& tx) {
    EXPECT_TRUE(tree_complete(tx, 100).value());
    for (std::uint64_t n = 1; n <= 100; ++n) {
      EXPECT_EQ(stored_root(tx, n).value(), roots[n]) << n;
      for (std::uint64_t seq = 1; seq <= n; seq += 9) {
        const auto p = prove_inclusion(tx, seq, n).value();
        EXPECT_EQ(p.root_hash, roots[n]);
        EXPECT_TRUE(verify_inclusion(seq - 1, n, p.leaf_hash, p.audit_path, roots[n]));
      }
      const std::uint64_t m = 1 + n * 7 % n;
      const auto c = prove_consistency(tx, m, n).value();
      EXPECT_TRUE(verify_consistency(m, n, c.proof, c.from_root, c.to_root));
      EXPECT_EQ(c.from_root, roots[m]);
    }
    return true;
  });
}

TEST_F(AuditTreeStore, RolledBackJobTakesItsNodesWithIt) {
  grow_to(5);
  auto failed = store_->write([&](storage::WriteTx& tx) -> Result<void> {
    for (std::uint64_t seq = 6; seq <= 8; ++seq) BAOMI_TRY(log_->append(tx, event(seq), at(seq)));
    return Error::conflict("nope", "the job changed its mind");
  });
  ASSERT_FALSE(failed.ok());
  EXPECT_FALSE(read<bool>([](storage::ReadTx& tx) {
    return audit::get_audit_tree_node(tx, 1, 3).value().has_value();  // leaves 6-7 would make it
  }));
  grow_to(16);
  EXPECT_EQ(read<RawHash>([](storage::ReadTx& tx) { return stored_root(tx, 16).value(); }),
            roots_from_entries()[16]);
}

TEST_F(AuditTreeStore, I1_OlderTrailGetsItsTreeOnceOnOpen) {
  grow_to(50, 10);
  ASSERT_TRUE(store_->write([](storage::WriteTx& tx) { return audit::clear_audit_tree(tx); }).ok());
  EXPECT_FALSE(read<bool>([](storage::ReadTx& tx) { return tree_complete(tx, 50).value(); }));
  EXPECT_EQ(ensure_tree(*store_).value(), 50u - 3u);  // n - popcount(n) interior nodes
  EXPECT_EQ(ensure_tree(*store_).value(), 0u);        // complete: nothing to do
  EXPECT_EQ(read<RawHash>([](storage::ReadTx& tx) { return stored_root(tx, 50).value(); }),
            roots_from_entries()[50]);
  grow_to(64);  // appends continue on the rebuilt tree
  EXPECT_TRUE(read<bool>([](storage::ReadTx& tx) { return tree_complete(tx, 64).value(); }));
}

TEST_F(AuditTreeStore, I1_CheckpointsAreSignedTreeHeadsThatVerify) {
  grow_to(40);  // checkpoint every 16 entries
  checkpoint_now();
  const auto heads = read<std::vector<audit::TreeHeadRow>>(
      [](storage::ReadTx& tx) { return audit::list_tree_heads(tx).value(); });
  ASSERT_EQ(heads.size(), 3u);
  EXPECT_EQ(heads[0].tree_size, 16u);
  EXPECT_EQ(heads[2].tree_size, 40u);
  const auto roots = roots_from_entries();
  const auto pk = log_->public_key();
  for (const auto& h : heads) {
    EXPECT_EQ(h.root_hash, to_hex(roots[h.tree_size].data(), kHashSize));
    EXPECT_TRUE(
        verify_tree_head({h.tree_size, h.root_hash, h.head, h.time_us, h.signature}, pk.data()));
  }
  const auto report = verify();
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.tree_heads_verified, 3u);
  EXPECT_EQ(report.root_hash, heads[2].root_hash);
}

TEST_F(AuditTreeStore, I1_VerifyReportsAnAlteredStoredNode) {
  grow_to(40);
  sql("UPDATE audit_tree SET hash = zeroblob(32) WHERE level = 2 AND idx = 3");
  const auto report = verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_seq, 16u);  // leaves 12..15: completed by entry 16
  EXPECT_NE(report.problem.find("stored Merkle tree node (level 2, index 3) does not match"),
            std::string::npos)
      << report.problem;
  sql("DELETE FROM audit_tree WHERE level = 2 AND idx = 3");
  EXPECT_NE(verify().problem.find("(level 2, index 3) is missing"), std::string::npos);
}

TEST_F(AuditTreeStore, I1_VerifyReportsAlteredOrForgedTreeHeads) {
  grow_to(40);
  sql("UPDATE audit_tree_heads SET root_hash = replace(root_hash, substr(root_hash, 1, 1), "
      "CASE substr(root_hash, 1, 1) WHEN '0' THEN '1' ELSE '0' END) WHERE tree_size = 32");
  auto report = verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_seq, 32u);
  EXPECT_NE(report.problem.find("tree head of size 32 has an invalid signature"), std::string::npos)
      << report.problem;
}

TEST_F(AuditTreeStore, I1_TreeHeadBeyondTheTrailShowsTruncation) {
  grow_to(32);
  sql("DELETE FROM audit WHERE seq > 30; DELETE FROM audit_checkpoints WHERE seq = 32");
  const auto report = verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_seq, 31u);
  EXPECT_NE(report.problem.find("a signed tree head has size 32"), std::string::npos)
      << report.problem;
}

TEST_F(AuditTreeStore, ProofParametersAreChecked) {
  grow_to(10);
  read<bool>([](storage::ReadTx& tx) {
    EXPECT_EQ(prove_inclusion(tx, 0, 5).error().kind, ErrorKind::kInvalidArgument);
    auto beyond = prove_inclusion(tx, 3, 11);
    EXPECT_EQ(beyond.error().kind, ErrorKind::kInvalidArgument);
    EXPECT_NE(beyond.error().message.find("'tree_size' (11) is beyond the trail (10 entries)"),
              std::string::npos);
    EXPECT_NE(prove_inclusion(tx, 6, 5).error().message.find("'tree_size'"), std::string::npos);
    EXPECT_NE(prove_consistency(tx, 6, 5).error().message.find("'from'"), std::string::npos);
    EXPECT_NE(prove_consistency(tx, 0, 5).error().message.find("'from'"), std::string::npos);
    EXPECT_NE(prove_consistency(tx, 5, 12).error().message.find("'to' (12)"), std::string::npos);
    EXPECT_TRUE(prove_consistency(tx, 10, 10).value().proof.empty());
    return true;
  });
}

}  // namespace
}  // namespace baomi::audit
