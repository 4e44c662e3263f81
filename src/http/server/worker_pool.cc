#include "http/server/worker_pool.h"

#include <utility>

namespace baomi::http::detail {

WorkerPool::WorkerPool(std::size_t threads) {
  workers_.reserve(threads);
  for (std::size_t i = 0; i < threads; ++i) workers_.push_back(std::make_unique<Worker>());
  threads_.reserve(threads);
  for (auto& w : workers_) threads_.emplace_back([this, worker = w.get()] { run(*worker); });
}

WorkerPool::~WorkerPool() { join(); }

void WorkerPool::post(Task task) {
  Worker* worker = nullptr;
  {
    std::lock_guard lock(mu_);
    if (idle_.empty()) {
      queue_.push_back(std::move(task));
      return;
    }
    worker = idle_.back();
    idle_.pop_back();
  }
  worker->task = std::move(task);
  worker->wake.post();
}

void WorkerPool::join() {
  std::vector<Worker*> sleeping;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    sleeping.swap(idle_);
  }
  for (Worker* w : sleeping) w->wake.post();  // with no task: stop
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

void WorkerPool::run(Worker& self) {
  for (;;) {
    Task task = next_task(self);
    if (!task) return;
    task();
  }
}

// A queued task if there is one; otherwise sleeps on the idle list until post() hands this
// worker a task, or join() wakes it without one (stop).
WorkerPool::Task WorkerPool::next_task(Worker& self) {
  {
    std::lock_guard lock(mu_);
    if (!queue_.empty()) {
      Task task = std::move(queue_.front());
      queue_.pop_front();
      return task;
    }
    if (stopping_) return {};
    idle_.push_back(&self);
  }
  self.wake.wait();
  return std::exchange(self.task, nullptr);
}

}  // namespace baomi::http::detail
