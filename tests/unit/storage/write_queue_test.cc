// WriteQueue: the group-commit writer. Every caller gets its own job's result, back on its own
// thread, however jobs share commits; nothing is left waiting.
#include "storage/write_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>
#include <vector>

#include "crypto/random.h"
#include "storage/meta.h"
#include "storage/sqlite/sqlite_store.h"

namespace baomi::storage {
namespace {

// Many threads at once through the real SQLite writer: each job fails or succeeds on its own
// (a savepoint each), and each caller must get exactly its own answer back.
TEST(WriteQueue, EachCallerGetsItsOwnJobsResultWhileJobsShareCommits) {
  const auto dir = std::filesystem::temp_directory_path() / ("baomi-wq-" + crypto::random_id());
  std::filesystem::create_directories(dir);
  auto store = sqlite::SqliteStore::open(dir / "baomi.db", true).value();
  const auto batches_before = group_commit_stats().batch_jobs.snapshot().count;
  constexpr int kThreads = 16;
  constexpr int kEach = 40;
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const std::string key = "k" + std::to_string(t) + "-" + std::to_string(i);
        const bool fail = (t + i) % 3 == 0;
        auto r = store->write([&](WriteTx& tx) -> Result<void> {
          BAOMI_TRY(put_meta(tx, key, to_bytes(key)));
          if (fail) return Error::conflict("planned", key);
          return {};
        });
        const bool right = fail ? (!r.ok() && r.error().message == key) : r.ok();
        if (!right) ++wrong;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
  const auto batches = group_commit_stats().batch_jobs.snapshot().count - batches_before;
  // Sixteen writers at once, each commit an fsync: jobs must have shared commits.
  EXPECT_LT(batches, static_cast<std::uint64_t>(kThreads * kEach));
  // The failed jobs were rolled back alone: exactly the others' rows are there.
  int present = 0;
  ASSERT_TRUE(store
                  ->read([&](ReadTx& tx) -> Result<void> {
                    for (int t = 0; t < kThreads; ++t) {
                      for (int i = 0; i < kEach; ++i) {
                        const std::string key = "k" + std::to_string(t) + "-" + std::to_string(i);
                        BAOMI_ASSIGN_OR_RETURN(auto v, get_meta(tx, key));
                        if (v.has_value() != ((t + i) % 3 != 0)) return Error::internal(key);
                        present += v.has_value() ? 1 : 0;
                      }
                    }
                    return {};
                  })
                  .ok());
  EXPECT_GT(present, 0);
  store.reset();
  std::filesystem::remove_all(dir);
}

// A commit function that forgets a job is a bug; its caller gets an error, not a hang.
TEST(WriteQueue, AJobTheCommitLeftUnsettledFailsInsteadOfWaitingForever) {
  WriteQueue queue(8, [](std::vector<WriteQueue::PendingJob>& batch) {
    for (std::size_t i = 1; i < batch.size(); ++i) batch[i].settle(Result<void>{});
  });
  auto r = queue.write([](WriteTx&) -> Result<void> { return {}; });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kInternal);
}

TEST(WriteQueue, AClosedQueueRefusesNewJobs) {
  std::atomic<int> committed{0};
  WriteQueue queue(8, [&](std::vector<WriteQueue::PendingJob>& batch) {
    for (auto& p : batch) {
      ++committed;
      p.settle(Result<void>{});
    }
  });
  ASSERT_TRUE(queue.write([](WriteTx&) -> Result<void> { return {}; }).ok());
  queue.close();
  auto r = queue.write([](WriteTx&) -> Result<void> { return {}; });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kUnavailable);
  EXPECT_EQ(committed.load(), 1);
}

}  // namespace
}  // namespace baomi::storage
