// Semaphore: a POSIX semaphore for handing work or a result to one sleeping thread. Unlike a
// mutex and condition variable, post() is one atomic add plus a futex wake only when a thread
// already waits, and POSIX lets the waiter destroy the semaphore as soon as wait() returns: so it
// may live in the waiter's stack frame. post() orders the poster's writes before the waiter's
// return from wait().
#pragma once

#include <semaphore.h>

namespace baomi {

class Semaphore {
 public:
  Semaphore() { sem_init(&sem_, 0, 0); }
  ~Semaphore() { sem_destroy(&sem_); }
  Semaphore(const Semaphore&) = delete;
  Semaphore& operator=(const Semaphore&) = delete;

  void post() { sem_post(&sem_); }
  // Blocks until a post() is available; a signal does not end the wait.
  void wait();

 private:
  sem_t sem_;
};

}  // namespace baomi
