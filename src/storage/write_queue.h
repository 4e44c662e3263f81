// WriteQueue: the group-commit writer both engines share. Write jobs queue up; one thread takes
// up to `max_batch` of them at a time and hands them to the engine's commit function, which runs
// them (a savepoint each) in one durable transaction and must settle every job's promise: its
// own result, or the batch's failure. `write` returns once its job is settled. close() refuses
// new jobs, drains the queue and joins the thread. Thread-safe.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/histogram.h"
#include "core/semaphore.h"
#include "storage/store.h"

namespace baomi::storage {

// What the group-commit writers of this process did (every store's: one per server process in
// practice), for /metrics: the jobs that shared each commit, and how long each commit took
// (its jobs, the COMMIT and its sync).
struct GroupCommitStats {
  Histogram batch_jobs{{1, 2, 4, 8, 16, 32, 64, 128, 256, 512}};
  Histogram commit_seconds{
      {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 10}};
};
GroupCommitStats& group_commit_stats();

// Where one job's result goes: a slot on the waiting caller's stack, and a POSIX semaphore to
// wake the caller. Not std::promise: its set_value runs through std::call_once, which issues a
// futex wake of its own on every call, and it allocates shared state. Not a mutex and condition
// variable: the woken caller then often blocked again on the mutex the writer still held. A
// semaphore post is one atomic add, and a futex wake only when the caller already sleeps; POSIX
// lets the waiter destroy it as soon as its wait returns (issue 14: on this machine every
// hand-off between threads is a large share of a small read).
class JobOutcome {
 public:
  void settle(Result<void> result);
  Result<void> wait();

 private:
  std::optional<Result<void>> result_;
  Semaphore ready_;
};

class WriteQueue {
 public:
  struct PendingJob {
    Store::WriteJob job;
    JobOutcome* outcome;
    bool settled = false;
    void settle(Result<void> result) {
      settled = true;
      outcome->settle(std::move(result));
    }
  };
  using CommitBatch = std::function<void(std::vector<PendingJob>&)>;

  // Starts the writer thread: everything `commit` uses must exist already.
  WriteQueue(std::size_t max_batch, CommitBatch commit);
  ~WriteQueue();
  WriteQueue(const WriteQueue&) = delete;
  WriteQueue& operator=(const WriteQueue&) = delete;

  Result<void> write(Store::WriteJob job);
  void close();

 private:
  void writer_loop();

  std::size_t max_batch_;
  CommitBatch commit_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<PendingJob> queue_;
  bool stopping_ = false;
  std::thread writer_;
};

}  // namespace baomi::storage
