#include "cmd/instance_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>

namespace baomi::cmd {

Result<InstanceLock> InstanceLock::acquire(const std::filesystem::path& data, Mode mode,
                                           bool required) {
  const auto file = file_in(data);
  const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (!required) return InstanceLock(-1);
    return Error::invalid("lock", "cannot open the instance lock " + file.string() + " (is " +
                                      data.string() + " writable?)");
  }
  const int how = mode == Mode::kShared ? LOCK_SH : LOCK_EX;
  int rc = 0;
  do {
    rc = ::flock(fd, how | LOCK_NB);
  } while (rc != 0 && errno == EINTR);
  if (rc == 0) return InstanceLock(fd);
  ::close(fd);
  if (mode == Mode::kShared) {
    return Error::conflict("instance_in_use",
                           "the instance at " + data.string() +
                               " is being migrated or its master key rotated (baomi migrate "
                               "or baomi keys rotate-master holds " +
                               file.string() + "); wait until it has finished");
  }
  return Error::conflict("instance_in_use",
                         "the instance at " + data.string() +
                             " is in use (a baomi serve or another command has it open and "
                             "holds " +
                             file.string() + "); stop it first");
}

InstanceLock::~InstanceLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace baomi::cmd
