// WorkerPool: the threads that run request handlers (which block: storage transactions, the
// audit commit's fsync). Tasks go to an idle worker directly, the most recently idle first (its
// stack and caches are warm), woken through its own semaphore; only when every worker is busy
// do they queue. Internal to http/server; thread-safe.
//
// Why not boost::asio::thread_pool: its one scheduler mutex and condition variable were shared
// by every worker, and with the 64 of a server each post and each return to the pool contended
// for them (about five futex calls a small read, issue 14). Here a post takes the pool's lock
// for a pop and wakes exactly one thread, with one futex call.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/semaphore.h"

namespace baomi::http::detail {

class WorkerPool {
 public:
  using Task = std::function<void()>;

  explicit WorkerPool(std::size_t threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Runs `task` on a worker. Tasks posted before join() are all run.
  void post(Task task);
  // Lets the workers finish every task posted so far, then joins them. Idempotent.
  void join();

 private:
  // Written by post() or join() while the worker sleeps, read after the semaphore wakes it.
  struct Worker {
    Semaphore wake;
    Task task;  // empty when woken: stop
  };

  void run(Worker& self);
  Task next_task(Worker& self);

  std::mutex mu_;
  std::deque<Task> queue_;     // tasks no worker was idle for
  std::vector<Worker*> idle_;  // waiting workers, the most recently idle last
  bool stopping_ = false;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<std::thread> threads_;
};

}  // namespace baomi::http::detail
