// The trail head a write transaction keeps (storage::WriteTx::trail_head, issue 14): the appends
// of one group commit chain onto each other without reading the head back from the store, a job
// rolled back to its savepoint takes its entries out of the kept head, and the next transaction
// reads what another writer (another process or instance) appended meanwhile. Any mistake here
// would fork or gap the chain, which verify_store reports (I1).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "audit/audit_log.h"
#include "audit/trail_tables.h"
#include "audit_store_fixture.h"
#include "storage/sqlite/sqlite_tx.h"

namespace baomi::audit {
namespace {

using storage::sqlite::Db;
using storage::sqlite::SqliteTx;

class TrailHeadTest : public testing::AuditStoreTest {
 protected:
  Db connection() {
    auto db = Db::open(dir_ / "baomi.db", false);
    EXPECT_TRUE(db.ok());
    return std::move(db).value();
  }
  std::uint64_t append(storage::WriteTx& tx, std::uint64_t n) {
    auto seq = log_->append(tx, event(n), at(n));
    EXPECT_TRUE(seq.ok()) << seq.error().message;
    return seq.ok() ? *seq : 0;
  }
};

TEST_F(TrailHeadTest, RolledBackJobAndOtherWritersKeepTheChainWhole_I1) {
  Db first = connection();
  Db second = connection();
  ASSERT_TRUE(first.run("BEGIN IMMEDIATE").ok());
  {
    SqliteTx tx(first);
    // A job that appends twice and is rolled back, as the group commit does with a failed job.
    ASSERT_TRUE(first.run("SAVEPOINT job").ok());
    EXPECT_EQ(append(tx, 1), 1u);
    EXPECT_EQ(append(tx, 2), 2u);
    ASSERT_TRUE(tx.trail_head().has_value()) << "kept, not read back per append";
    EXPECT_EQ(tx.trail_head()->seq, 2u);
    ASSERT_TRUE(first.run("ROLLBACK TO job").ok());
    tx.job_rolled_back();
    ASSERT_TRUE(first.run("RELEASE job").ok());
    // The next job of the same commit chains onto what is really stored: seq 1 again, no gap.
    ASSERT_TRUE(first.run("SAVEPOINT job").ok());
    EXPECT_EQ(append(tx, 1), 1u);
    auto next = log_->next_seq(tx);
    ASSERT_TRUE(next.ok());
    EXPECT_EQ(*next, 2u);
    ASSERT_TRUE(first.run("RELEASE job").ok());
  }
  ASSERT_TRUE(first.run("COMMIT").ok());
  // Another writer on the same database appends between this writer's transactions.
  ASSERT_TRUE(second.run("BEGIN IMMEDIATE").ok());
  {
    SqliteTx tx(second);
    EXPECT_EQ(append(tx, 2), 2u);
  }
  ASSERT_TRUE(second.run("COMMIT").ok());
  // The first writer's next transaction reads the head afresh.
  ASSERT_TRUE(first.run("BEGIN IMMEDIATE").ok());
  {
    SqliteTx tx(first);
    EXPECT_EQ(append(tx, 3), 3u);
    ASSERT_TRUE(log_->checkpoint(tx, at(3)).ok());
  }
  ASSERT_TRUE(first.run("COMMIT").ok());
  ASSERT_TRUE(store_
                  ->read([&](storage::ReadTx& tx) -> Result<void> {
                    BAOMI_ASSIGN_OR_RETURN(auto report, verify_store(tx, log_->public_key()));
                    EXPECT_TRUE(report.ok) << report.problem;
                    EXPECT_EQ(report.entries, 3u);
                    EXPECT_EQ(report.checkpoints_verified, 1u);
                    EXPECT_EQ(report.tree_heads_verified, 1u);
                    return {};
                  })
                  .ok());
}

// Through the store's own group commit: jobs that append and then fail are rolled back (and
// their entries forgotten by the kept head) while others commit beside them; whatever the
// batches turn out to be, the trail holds exactly the committed jobs' entries, chained.
TEST_F(TrailHeadTest, FailedJobsInGroupCommitsLeaveAWholeChain_I1) {
  constexpr int kThreads = 4;
  constexpr int kJobs = 40;
  std::vector<std::thread> threads;
  std::atomic<int> committed{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int j = 0; j < kJobs; ++j) {
        const bool fail = (t + j) % 3 == 0;
        auto r = store_->write([&](storage::WriteTx& tx) -> Result<void> {
          BAOMI_TRY(log_->append(tx, event(1), at(1)));
          BAOMI_TRY(log_->append(tx, event(2), at(2)));
          if (fail) return Error::conflict("test", "this job fails after appending");
          return {};
        });
        EXPECT_EQ(r.ok(), !fail);
        if (r.ok()) ++committed;
      }
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_TRUE(store_
                  ->read([&](storage::ReadTx& tx) -> Result<void> {
                    BAOMI_ASSIGN_OR_RETURN(auto report, verify_store(tx, log_->public_key()));
                    EXPECT_TRUE(report.ok) << report.problem;
                    EXPECT_EQ(report.entries, 2u * static_cast<std::uint64_t>(committed.load()));
                    return {};
                  })
                  .ok());
}

}  // namespace
}  // namespace baomi::audit
