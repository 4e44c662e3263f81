#include "cmd/node_identity.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "crypto/random.h"

namespace baomi::cmd {
namespace {

constexpr int kMaxSlots = 64;

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "?";
  return name;
}

// The slot's content: "<node id> <host>\n".
std::string read_all(int fd) {
  std::string text;
  char buf[512];
  ssize_t n = 0;
  while ((n = ::pread(fd, buf, sizeof buf, static_cast<off_t>(text.size()))) > 0) {
    text.append(buf, static_cast<std::size_t>(n));
    if (text.size() > 4096) break;
  }
  return text;
}

bool write_identity(int fd, const std::string& text) {
  if (::ftruncate(fd, 0) != 0) return false;
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n =
        ::pwrite(fd, text.data() + done, text.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return ::fsync(fd) == 0;
}

bool lock_exclusive(int fd) {
  int rc = 0;
  do {
    rc = ::flock(fd, LOCK_EX | LOCK_NB);
  } while (rc != 0 && errno == EINTR);
  return rc == 0;
}

}  // namespace

NodeIdentity NodeIdentity::claim(const std::filesystem::path& data) {
  const auto host = host_name();
  for (int slot = 0; slot < kMaxSlots; ++slot) {
    const auto file = data / ("node-" + std::to_string(slot) + ".id");
    const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) break;  // not writable: a fresh id below
    if (!lock_exclusive(fd)) {
      ::close(fd);
      continue;  // another server on this directory has the slot
    }
    const auto text = read_all(fd);
    const auto space = text.find(' ');
    if (space != std::string::npos && space > 0 && text.back() == '\n' &&
        text.substr(space + 1, text.size() - space - 2) == host) {
      return NodeIdentity(fd, text.substr(0, space));
    }
    auto id = crypto::random_id();
    if (write_identity(fd, id + " " + host + "\n")) return NodeIdentity(fd, std::move(id));
    ::close(fd);
    break;
  }
  return NodeIdentity(-1, crypto::random_id());
}

NodeIdentity::~NodeIdentity() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace baomi::cmd
