// WriteQueue: the group-commit writer both engines share. Write jobs queue up; one thread takes
// up to `max_batch` of them at a time and hands them to the engine's commit function, which runs
// them (a savepoint each) in one durable transaction and must settle every job's promise: its
// own result, or the batch's failure. `write` returns once its job is settled. close() refuses
// new jobs, drains the queue and joins the thread. Thread-safe.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "storage/store.h"

namespace baomi::storage {

class WriteQueue {
 public:
  struct PendingJob {
    Store::WriteJob job;
    std::promise<Result<void>> done;
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
