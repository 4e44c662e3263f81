#include "http/server/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <latch>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace baomi::http::detail {
namespace {

TEST(WorkerPool, RunsEveryTaskPostedFromManyThreadsOnceEach) {
  constexpr int kPosters = 4;
  constexpr int kEach = 5000;
  std::vector<std::atomic<int>> runs(kPosters * kEach);
  {
    WorkerPool pool(3);
    std::vector<std::thread> posters;
    for (int p = 0; p < kPosters; ++p) {
      posters.emplace_back([&pool, &runs, p] {
        for (int i = 0; i < kEach; ++i) pool.post([&runs, n = p * kEach + i] { runs[n]++; });
      });
    }
    for (auto& t : posters) t.join();
    pool.join();
  }
  for (std::size_t n = 0; n < runs.size(); ++n) ASSERT_EQ(runs[n].load(), 1) << "task " << n;
}

// Handlers block (the audit commit); a pool of N must run N of them at once, each on its own
// thread, or a request would wait for an unrelated one's fsync.
TEST(WorkerPool, RunsAsManyBlockingTasksAtOnceAsItHasThreads) {
  constexpr int kThreads = 6;
  WorkerPool pool(kThreads);
  std::latch all_running(kThreads);
  std::mutex mu;
  std::set<std::thread::id> ids;
  for (int i = 0; i < kThreads; ++i) {
    pool.post([&] {
      {
        std::lock_guard lock(mu);
        ids.insert(std::this_thread::get_id());
      }
      all_running.arrive_and_wait();  // returns only when every task runs at the same time
    });
  }
  pool.join();
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kThreads));
}

TEST(WorkerPool, JoinRunsTheTasksQueuedWhileEveryWorkerWasBusy) {
  std::atomic<int> done{0};
  std::latch release(1);
  WorkerPool pool(2);
  for (int i = 0; i < 2; ++i)
    pool.post([&] {
      release.wait();
      ++done;
    });
  for (int i = 0; i < 50; ++i) pool.post([&] { ++done; });  // queued: both workers are held
  std::thread joiner([&] { pool.join(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(done.load(), 0);
  release.count_down();
  joiner.join();
  EXPECT_EQ(done.load(), 52);
}

TEST(WorkerPool, JoinTwiceAndDestroyAfterJoinAreHarmless) {
  std::atomic<int> done{0};
  WorkerPool pool(2);
  pool.post([&] { ++done; });
  pool.join();
  pool.join();
  EXPECT_EQ(done.load(), 1);
}

TEST(WorkerPool, AnIdlePoolStopsAtOnce) {
  const auto start = std::chrono::steady_clock::now();
  { WorkerPool pool(64); }
  // Every worker was asleep on its semaphore; the destructor must wake each, not wait forever.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
}

}  // namespace
}  // namespace baomi::http::detail
