// Rendezvous: hands the result of one asynchronous operation (run on a session's strand) back
// to the worker thread blocked waiting for it. arm() and wait() are called by the single waiting
// thread; complete() by the strand; abort() by the server when the io_context has stopped, so
// no waiter can hang forever. Thread-safe.
#pragma once

#include <boost/system/error_code.hpp>
#include <condition_variable>
#include <cstddef>
#include <mutex>

namespace baomi::http::detail {

class Rendezvous {
 public:
  struct Outcome {
    boost::system::error_code ec;
    std::size_t n = 0;
    bool aborted = false;
  };

  void arm() {
    std::lock_guard lock(mu_);
    done_ = false;
  }
  void complete(boost::system::error_code ec, std::size_t n) {
    {
      std::lock_guard lock(mu_);
      outcome_.ec = ec;
      outcome_.n = n;
      done_ = true;
    }
    cv_.notify_all();
  }
  // Sticky: every later wait() returns aborted at once.
  void abort() {
    {
      std::lock_guard lock(mu_);
      aborted_ = true;
    }
    cv_.notify_all();
  }
  Outcome wait() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return done_ || aborted_; });
    if (aborted_) return Outcome{{}, 0, true};
    return outcome_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  bool aborted_ = false;
  Outcome outcome_;
};

}  // namespace baomi::http::detail
