// A canonical POSIX ustar archive (IEEE Std 1003.1 "ustar" interchange format), the container of
// evidence bundles. Writing is deterministic: regular files only, in the given order, mode 0644,
// uid/gid 0, mtime 0, empty user and group names, names of at most 100 bytes (no prefix field),
// each file padded with zeros to 512 bytes, then two zero blocks and nothing else.
// Reading accepts exactly that form: every header must equal the one the writer would produce
// for the same name and size, padding must be zeros, so any flipped byte is noticed.
// Pure functions; thread-safe.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "core/result.h"

namespace baomi::audit {

struct TarFile {
  std::string name;
  Bytes data;
};

inline constexpr std::size_t kTarBlock = 512;
inline constexpr std::size_t kTarNameMax = 100;

// Throws std::invalid_argument for a name that is empty, too long or holds a NUL (a caller bug).
Bytes write_ustar(const std::vector<TarFile>& files);

// The files of a canonical archive, in order; invalid_argument naming the first problem.
Result<std::vector<TarFile>> read_ustar(std::span<const std::uint8_t> archive);

}  // namespace baomi::audit
