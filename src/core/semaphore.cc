#include "core/semaphore.h"

#include <cerrno>
#include <system_error>

namespace baomi {

void Semaphore::wait() {
  while (sem_wait(&sem_) != 0) {  // EINTR: a signal came first; anything else is a bug
    if (errno != EINTR) throw std::system_error(errno, std::generic_category(), "sem_wait");
  }
}

}  // namespace baomi
