#include "storage/sqlite/chunk_files.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <ctime>

#include "storage/chunks.h"

namespace baomi::storage::sqlite {
namespace {

namespace fs = std::filesystem;

// A chunk larger than this is not one the barrier sealed (256 KiB + tag): a damaged index row
// must not make a reader allocate gigabytes.
constexpr std::uint64_t kMaxChunkBytes = 64 << 20;

Result<void> write_all_at(int fd, const std::uint8_t* data, std::size_t size, std::uint64_t at) {
  while (size > 0) {
    const ssize_t n = ::pwrite(fd, data, size, static_cast<off_t>(at));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Error::unavailable("writing a content chunk file failed");
    data += n;
    size -= static_cast<std::size_t>(n);
    at += static_cast<std::uint64_t>(n);
  }
  return {};
}

}  // namespace

fs::path ChunkFiles::dir_for(const fs::path& database) { return database.string() + "-chunks"; }

std::string ChunkFiles::file_name(std::string_view document_id, std::uint64_t version) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string name;
  name.reserve(document_id.size() * 2 + 21);
  for (unsigned char c : document_id) {
    name.push_back(kHex[c >> 4]);
    name.push_back(kHex[c & 15]);
  }
  name.push_back('-');
  name += std::to_string(version);
  return name;
}

std::optional<ChunkFiles::Version> ChunkFiles::parse_name(std::string_view name) {
  const auto dash = name.find('-');
  if (dash == std::string_view::npos || dash == 0 || dash % 2 != 0 || dash + 1 == name.size()) {
    return std::nullopt;
  }
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  Version v;
  for (std::size_t i = 0; i < dash; i += 2) {
    const int hi = nibble(name[i]), lo = nibble(name[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    v.document_id.push_back(static_cast<char>(hi << 4 | lo));
  }
  const auto digits = name.substr(dash + 1);
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v.version);
  if (ec != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;
  if (file_name(v.document_id, v.version) != name) return std::nullopt;  // one spelling only
  return v;
}

Result<std::unique_ptr<ChunkFiles>> ChunkFiles::open(const fs::path& dir) {
  if (::mkdir(dir.c_str(), 0700) == 0) {
    // The new directory's entry must survive a crash before any file in it is relied on.
    const fs::path parent = dir.parent_path().empty() ? fs::path(".") : dir.parent_path();
    const int pfd = ::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    const bool synced = pfd >= 0 && ::fsync(pfd) == 0;
    if (pfd >= 0) ::close(pfd);
    if (!synced) return Error::unavailable("cannot sync the directory of " + dir.string());
  } else if (errno != EEXIST) {
    return Error::unavailable("cannot create the content directory " + dir.string());
  }
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Error::unavailable("cannot open the content directory " + dir.string());
  return std::unique_ptr<ChunkFiles>(new ChunkFiles(dir, fd));
}

ChunkFiles::ChunkFiles(fs::path dir, int dir_fd) : dir_(std::move(dir)), dir_fd_(dir_fd) {}

ChunkFiles::~ChunkFiles() {
  discard();
  ::close(dir_fd_);
}

// Files are opened by their whole path (not openat): what watches the data directory by path
// (the failing-disk shim of tests/faults) sees them as it sees the database.
Result<std::uint64_t> ChunkFiles::prepare_append(const std::string& document_id,
                                                 std::uint64_t version, bool first) {
  if (first) return std::uint64_t{0};
  const std::string name = file_name(document_id, version);
  if (auto it = open_.find(name); it != open_.end()) return it->second.end;
  const int fd = ::open((dir_ / name).c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return Error::integrity(kChunkMissing);  // the earlier chunks' file is gone
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return Error::unavailable("cannot read the size of a content chunk file");
  }
  open_[name] = Open{fd, static_cast<std::uint64_t>(st.st_size), false};
  return static_cast<std::uint64_t>(st.st_size);
}

Result<void> ChunkFiles::append(const std::string& document_id, std::uint64_t version,
                                std::uint64_t offset, const Bytes& sealed) {
  const std::string name = file_name(document_id, version);
  auto it = open_.find(name);
  if (it == open_.end()) {
    if (offset != 0) return Error::internal("a content chunk file was not prepared");
    // A new version's first chunk: whatever a failed earlier attempt at this version left goes.
    const int fd = ::open((dir_ / name).c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return Error::unavailable("cannot create a content chunk file");
    it = open_.emplace(name, Open{fd, 0, true}).first;
  } else if (offset == 0 && it->second.end != 0) {
    if (::ftruncate(it->second.fd, 0) != 0) {
      return Error::unavailable("cannot truncate a content chunk file");
    }
    it->second.end = 0;
  }
  BAOMI_TRY(write_all_at(it->second.fd, sealed.data(), sealed.size(), offset));
  it->second.end = offset + sealed.size();
  return {};
}

Result<void> ChunkFiles::sync() {
  Result<void> done;
  bool created = false;
  for (auto& [name, f] : open_) {
    if (done.ok() && ::fdatasync(f.fd) != 0) {
      done = Error::unavailable("syncing a content chunk file failed");
    }
    created = created || f.created;
    ::close(f.fd);
  }
  open_.clear();
  if (done.ok() && created && ::fsync(dir_fd_) != 0) {
    done = Error::unavailable("syncing the content directory failed");
  }
  return done;
}

void ChunkFiles::discard() {
  for (auto& [name, f] : open_) ::close(f.fd);
  open_.clear();
}

bool ChunkFiles::with_guard(const std::function<void()>& fn) const {
  const int fd = ::openat(dir_fd_, ".guard", O_RDONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  const bool held = ::flock(fd, LOCK_SH | LOCK_NB) == 0;
  if (held) fn();
  ::close(fd);  // releases the lock
  return held;
}

std::size_t ChunkFiles::unlink_now(const std::vector<Version>& versions) {
  std::size_t removed = 0;
  if (versions.empty()) return 0;
  with_guard([&] {
    for (const auto& v : versions) {
      const std::string name = file_name(v.document_id, v.version);
      if (auto it = open_.find(name); it != open_.end()) {
        ::close(it->second.fd);
        open_.erase(it);
      }
      if (::unlinkat(dir_fd_, name.c_str(), 0) == 0) ++removed;
    }
  });
  return removed;
}

Result<std::size_t> ChunkFiles::sweep(const std::function<Result<bool>(const Version&)>& indexed,
                                      std::chrono::seconds min_age) {
  std::vector<std::string> names;
  {
    const int fd = ::dup(dir_fd_);
    if (fd < 0) return Error::unavailable("cannot list the content directory");
    DIR* d = ::fdopendir(fd);
    if (d == nullptr) {
      ::close(fd);
      return Error::unavailable("cannot list the content directory");
    }
    ::rewinddir(d);
    while (const dirent* e = ::readdir(d)) names.emplace_back(e->d_name);
    ::closedir(d);
  }
  std::size_t removed = 0;
  Result<void> failed;
  const auto now = std::time(nullptr);
  with_guard([&] {
    for (const auto& name : names) {
      const auto v = parse_name(name);
      if (!v || open_.contains(name)) continue;
      struct stat st {};
      if (::fstatat(dir_fd_, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
      if (now - st.st_mtime < min_age.count()) continue;  // another process may be writing it
      auto named = indexed(*v);
      if (!named.ok()) {
        failed = named.take_error();
        return;
      }
      if (!*named && ::unlinkat(dir_fd_, name.c_str(), 0) == 0) ++removed;
    }
  });
  if (!failed.ok()) return failed.error();
  return removed;
}

Result<void> ChunkFiles::read(const std::string& document_id, std::uint64_t version,
                              std::uint64_t offset, std::uint64_t size, Bytes& out) const {
  if (size > kMaxChunkBytes) return Error::integrity(kChunkMissing);
  const std::string name = file_name(document_id, version);
  const int fd = ::open((dir_ / name).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error::integrity(kChunkMissing);
  out.resize(size);
  std::size_t have = 0;
  Result<void> done;
  while (have < size) {
    const ssize_t n =
        ::pread(fd, out.data() + have, size - have, static_cast<off_t>(offset + have));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      done = Error::unavailable("reading a content chunk file failed");
      break;
    }
    if (n == 0) {
      done = Error::integrity(kChunkMissing);  // truncated
      break;
    }
    have += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (!done.ok()) out.clear();
  return done;
}

}  // namespace baomi::storage::sqlite
