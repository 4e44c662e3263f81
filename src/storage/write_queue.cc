#include "storage/write_queue.h"

#include <chrono>

namespace baomi::storage {

GroupCommitStats& group_commit_stats() {
  static GroupCommitStats stats;
  return stats;
}

WriteQueue::WriteQueue(std::size_t max_batch, CommitBatch commit)
    : max_batch_(max_batch), commit_(std::move(commit)) {
  writer_ = std::thread([this] { writer_loop(); });
}

WriteQueue::~WriteQueue() { close(); }

void WriteQueue::close() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && !writer_.joinable()) return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (writer_.joinable()) writer_.join();
}

// The post orders the result before the waiter's return.
void JobOutcome::settle(Result<void> result) {
  result_ = std::move(result);
  ready_.post();
}

Result<void> JobOutcome::wait() {
  ready_.wait();
  return std::move(*result_);
}

Result<void> WriteQueue::write(Store::WriteJob job) {
  JobOutcome outcome;
  {
    std::lock_guard lock(mu_);
    if (stopping_) return Error::unavailable("store is closing");
    queue_.push_back(PendingJob{std::move(job), &outcome});
  }
  cv_.notify_one();
  return outcome.wait();
}

void WriteQueue::writer_loop() {
  std::vector<PendingJob> batch;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    auto& stats = group_commit_stats();
    stats.batch_jobs.observe(static_cast<double>(batch.size()));
    const auto start = std::chrono::steady_clock::now();
    commit_(batch);
    for (auto& p : batch) {  // a commit function that forgot one must not leave it waiting
      if (!p.settled) p.settle(Error::internal("write job left unsettled"));
    }
    stats.commit_seconds.observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    batch.clear();
  }
}

}  // namespace baomi::storage
