// verify_store in two threads (issue 14): the reading thread hands entries over in batches, the
// checking thread feeds them to one ChainVerifier. Tampering anywhere (deep in a trail of many
// batches, at a batch's last or first entry, in a stored node a batch boundary completes) is
// reported at the same seq with the same sentence as when one thread reads and checks in turn.
#include <gtest/gtest.h>

#include <bit>

#include "audit/audit_log.h"
#include "audit/trail_tables.h"
#include "audit_store_fixture.h"
#include "storage/sqlite/db.h"

namespace baomi::audit {
namespace {

constexpr std::size_t kBatch = VerifyStoreOptions{}.batch_entries;

class AuditVerifyStore : public testing::AuditStoreTest {
 protected:
  void sql(const std::string& text) {
    auto db = storage::sqlite::Db::open(dir_ / "baomi.db", false).value();
    ASSERT_TRUE(db.exec(text.c_str()).ok()) << text;
  }
  Result<VerifyReport> verify_with(const VerifyStoreOptions& options) {
    std::optional<Result<VerifyReport>> out;
    auto r = store_->read([&](storage::ReadTx& tx) -> Result<void> {
      out.emplace(verify_store(tx, log_->public_key(), {}, options));
      return {};
    });
    EXPECT_TRUE(r.ok());
    return std::move(*out);
  }
  // The default (two threads, batches of kBatch), after checking that one thread reading and
  // checking in turn, and two threads with batches of 1 and 7 entries, say exactly the same.
  VerifyReport verify() {
    const auto two = verify_with({});
    EXPECT_TRUE(two.ok()) << two.error().message;
    for (const VerifyStoreOptions& other :
         {VerifyStoreOptions{kBatch, false}, VerifyStoreOptions{1, true},
          VerifyStoreOptions{7, true}}) {
      const auto r = verify_with(other);
      EXPECT_TRUE(r.ok()) << r.error().message;
      if (!r.ok() || !two.ok()) continue;
      EXPECT_EQ(r->ok, two->ok);
      EXPECT_EQ(r->first_bad_seq, two->first_bad_seq);
      EXPECT_EQ(r->problem, two->problem);
      EXPECT_EQ(r->entries, two->entries);
      EXPECT_EQ(r->head, two->head);
      EXPECT_EQ(r->root_hash, two->root_hash);
      EXPECT_EQ(r->checkpoints_verified, two->checkpoints_verified);
      EXPECT_EQ(r->tree_heads_verified, two->tree_heads_verified);
    }
    return two.ok() ? *two : VerifyReport{};
  }
  std::string hash_of(std::uint64_t seq) {
    return read<std::string>(
        [&](storage::ReadTx& tx) { return audit::get_audit_entry(tx, seq).value()->hash; });
  }
};

// Two full batches and part of a third: 2 * 4096 + 300 entries, 1,000 per job.
constexpr std::uint64_t kLong = 2 * kBatch + 300;

TEST_F(AuditVerifyStore, I1_LongTrailOfSeveralBatchesVerifies) {
  grow_to(kLong, 1000);
  checkpoint_now();
  const auto r = verify();
  EXPECT_TRUE(r.ok) << r.problem;
  EXPECT_EQ(r.entries, kLong);
  EXPECT_EQ(r.head, hash_of(kLong));
  EXPECT_EQ(r.checkpoints_verified, kLong / 16 + 1);
  EXPECT_EQ(r.tree_heads_verified, kLong / 16 + 1);
}

TEST_F(AuditVerifyStore, I1_EntryAlteredDeepInAMultiBatchTrailIsReportedAtItsSeq) {
  grow_to(kLong, 1000);
  sql("UPDATE audit SET actor = 'u-someone-else' WHERE seq = 6000");
  const auto r = verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 6000u);
  EXPECT_EQ(r.problem, "entry 6000: stored hash does not match its contents (entry was altered)");
  EXPECT_EQ(r.entries, 5999u);
  EXPECT_EQ(r.head, hash_of(5999));
}

TEST_F(AuditVerifyStore, I1_EntryAlteredAtTheLastAndFirstEntryOfABatchIsReported) {
  grow_to(kLong, 1000);
  sql("UPDATE audit SET detail = '{\"n\":0}' WHERE seq = " + std::to_string(kBatch));
  auto r = verify();
  EXPECT_EQ(r.first_bad_seq, kBatch);
  EXPECT_EQ(r.problem, "entry " + std::to_string(kBatch) +
                           ": stored hash does not match its contents (entry was altered)");
  sql("UPDATE audit SET detail = '{\"n\":" + std::to_string(kBatch) +
      "}' WHERE seq = " + std::to_string(kBatch));
  EXPECT_TRUE(verify().ok);
  // The next batch's first entry: a prev_hash that no longer names the entry before it.
  sql("UPDATE audit SET prev_hash = '" + std::string(64, 'a') +
      "' WHERE seq = " + std::to_string(kBatch + 1));
  r = verify();
  EXPECT_EQ(r.first_bad_seq, kBatch + 1);
  EXPECT_EQ(r.problem, "entry " + std::to_string(kBatch + 1) +
                           ": prev_hash does not match the hash of the entry before it");
  EXPECT_EQ(r.entries, kBatch);
}

TEST_F(AuditVerifyStore, I1_DeletedEntryAtABatchBoundaryIsReported) {
  grow_to(kLong, 1000);
  sql("DELETE FROM audit WHERE seq = " + std::to_string(kBatch + 1));
  const auto r = verify();
  EXPECT_EQ(r.first_bad_seq, kBatch + 1);
  EXPECT_EQ(r.problem, "entry " + std::to_string(kBatch + 1) + " is missing: found seq " +
                           std::to_string(kBatch + 2) + " instead (deleted, or entries reordered)");
}

TEST_F(AuditVerifyStore, I1_StoredNodeCompletedByABatchsLastEntryIsChecked) {
  grow_to(kLong, 1000);
  // The batch's last entry (leaf kBatch - 1) completes the perfect subtrees of levels 1 to
  // log2(kBatch) (12 for 4,096): the largest is the whole first batch.
  static_assert(std::has_single_bit(kBatch));
  const std::string level = std::to_string(std::countr_zero(kBatch));
  sql("UPDATE audit_tree SET hash = zeroblob(32) WHERE level = " + level + " AND idx = 0");
  auto r = verify();
  EXPECT_EQ(r.first_bad_seq, kBatch);
  EXPECT_EQ(r.problem,
            "stored Merkle tree node (level " + level +
                ", index 0) does not match the entries up to seq " + std::to_string(kBatch) +
                " (entries rewritten since they were stored, or the tree table altered)");
  sql("DELETE FROM audit_tree WHERE level = " + level + " AND idx = 0");
  r = verify();
  EXPECT_EQ(r.first_bad_seq, kBatch);
  EXPECT_NE(r.problem.find("(level " + level + ", index 0) is missing"), std::string::npos)
      << r.problem;
}

TEST_F(AuditVerifyStore, I1_RewrittenTailIsCaughtByTheSignedTreeHeadInALaterBatch) {
  grow_to(kLong, 1000);
  checkpoint_now();
  // Entries, nodes and checkpoints after 8000 removed: the signed tree heads beyond show it.
  sql("DELETE FROM audit WHERE seq > 8000; DELETE FROM audit_checkpoints WHERE seq > 8000");
  const auto r = verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 8001u);
  EXPECT_NE(r.problem.find("entries missing after 8000: a signed tree head has size 8016"),
            std::string::npos)
      << r.problem;
}

TEST_F(AuditVerifyStore, I1_EveryKindOfTamperingIsReportedAlikeWithTinyBatches) {
  grow_to(100, 7);
  // Each one adds damage before the last: the first bad seq moves towards the start.
  const std::vector<std::pair<std::string, std::uint64_t>> tamperings = {
      {"UPDATE audit_tree_heads SET tree_size = 97 WHERE tree_size = 96", 97},
      {"UPDATE audit SET target = 'document:x' WHERE seq = 37", 37},
      {"UPDATE audit_tree SET hash = zeroblob(32) WHERE level = 3 AND idx = 2", 24},
      {"DELETE FROM audit WHERE seq = 20", 20},
      {"UPDATE audit SET seq = 1000 WHERE seq = 5", 5},
  };
  for (const auto& [statement, seq] : tamperings) {
    sql(statement);
    const auto r = verify();
    EXPECT_FALSE(r.ok) << statement;
    EXPECT_EQ(r.first_bad_seq, seq) << statement << ": " << r.problem;
  }
}

TEST_F(AuditVerifyStore, AStoredNodeThatCannotBeReadIsAnErrorNotAVerdict) {
  grow_to(40, 5);
  sql("DROP TABLE audit_tree");
  for (const VerifyStoreOptions& options :
       {VerifyStoreOptions{}, VerifyStoreOptions{kBatch, false}, VerifyStoreOptions{3, true}}) {
    const auto r = verify_with(options);
    EXPECT_FALSE(r.ok());
  }
}

}  // namespace
}  // namespace baomi::audit
