// InstanceLock: who has an instance directory open. Every process that opens an instance
// (serve, demo load, init's last step) holds DATA/baomi.lock shared, so several may; `baomi
// migrate` and `baomi keys rotate-master` take it exclusive for their whole run, so neither
// touches a database (or keys) that a server is still using, and no server starts on the
// directory meanwhile. flock(2): the lock dies with its process (a crash never leaves it
// behind). Move-only; one holder per object.
#pragma once

#include <filesystem>
#include <utility>

#include "core/result.h"

namespace baomi::cmd {

class InstanceLock {
 public:
  enum class Mode { kShared, kExclusive };

  // Never waits: conflict ("instance_in_use") when a holder of the other kind has it.
  // `required` false: a directory where the lock file cannot be created (read-only, as a
  // PostgreSQL instance's may be) yields an unlocked holder instead of an error.
  static Result<InstanceLock> acquire(const std::filesystem::path& data, Mode mode,
                                      bool required = true);

  InstanceLock(InstanceLock&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  InstanceLock(const InstanceLock&) = delete;
  InstanceLock& operator=(const InstanceLock&) = delete;
  InstanceLock& operator=(InstanceLock&& o) noexcept {
    std::swap(fd_, o.fd_);  // o's destructor releases what this held
    return *this;
  }
  ~InstanceLock();

  static std::filesystem::path file_in(const std::filesystem::path& data) {
    return data / "baomi.lock";
  }

 private:
  explicit InstanceLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace baomi::cmd
