#include "audit/ustar.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <stdexcept>

namespace baomi::audit {
namespace {

using Block = std::array<std::uint8_t, kTarBlock>;

// Writes `value` as `width - 1` zero-padded octal digits and a NUL.
void put_octal(Block& b, std::size_t offset, std::size_t width, std::uint64_t value) {
  for (std::size_t i = width - 1; i-- > 0;) {
    b[offset + i] = static_cast<std::uint8_t>('0' + (value & 7));
    value >>= 3;
  }
  b[offset + width - 1] = 0;
}

void put_text(Block& b, std::size_t offset, std::string_view text) {
  std::copy(text.begin(), text.end(), b.begin() + static_cast<std::ptrdiff_t>(offset));
}

Block header(std::string_view name, std::uint64_t size) {
  Block b{};
  put_text(b, 0, name);
  put_octal(b, 100, 8, 0644);  // mode
  put_octal(b, 108, 8, 0);     // uid
  put_octal(b, 116, 8, 0);     // gid
  put_octal(b, 124, 12, size);
  put_octal(b, 136, 12, 0);  // mtime
  b[156] = '0';              // regular file
  put_text(b, 257,
           std::string_view("ustar\0"
                            "00",
                            8));
  // The checksum is computed with its own field read as eight spaces.
  std::fill(b.begin() + 148, b.begin() + 156, ' ');
  std::uint64_t sum = 0;
  for (auto c : b) sum += c;
  put_octal(b, 148, 7, sum);  // six digits and a NUL, then the space left in place
  return b;
}

bool valid_name(std::string_view name) {
  return !name.empty() && name.size() <= kTarNameMax && name.find('\0') == std::string_view::npos;
}

std::uint64_t padded(std::uint64_t size) { return (size + kTarBlock - 1) / kTarBlock * kTarBlock; }

bool all_zero(std::span<const std::uint8_t> bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t c) { return c == 0; });
}

// The size field as the writer makes it: 11 octal digits and a NUL; nullopt otherwise.
std::optional<std::uint64_t> read_size(std::span<const std::uint8_t> field) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 11; ++i) {
    if (field[i] < '0' || field[i] > '7') return std::nullopt;
    v = v << 3 | static_cast<std::uint64_t>(field[i] - '0');
  }
  if (field[11] != 0) return std::nullopt;
  return v;
}

}  // namespace

Bytes write_ustar(const std::vector<TarFile>& files) {
  Bytes out;
  for (const auto& f : files) {
    if (!valid_name(f.name)) throw std::invalid_argument("write_ustar: bad file name");
    const Block h = header(f.name, f.data.size());
    out.insert(out.end(), h.begin(), h.end());
    out.insert(out.end(), f.data.begin(), f.data.end());
    out.resize(out.size() + (padded(f.data.size()) - f.data.size()), 0);
  }
  out.resize(out.size() + 2 * kTarBlock, 0);
  return out;
}

Result<std::vector<TarFile>> read_ustar(std::span<const std::uint8_t> archive) {
  std::vector<TarFile> files;
  std::size_t at = 0;
  for (;;) {
    if (archive.size() - at < 2 * kTarBlock) {
      return Error::invalid("bundle", "the archive is truncated (no end-of-archive blocks)");
    }
    const auto block = archive.subspan(at, kTarBlock);
    if (all_zero(block)) break;
    const auto name_end = std::find(block.begin(), block.begin() + kTarNameMax, 0);
    const std::string name(block.begin(), name_end);
    const auto size = read_size(block.subspan(124, 12));
    const std::string which = "archive header " + std::to_string(files.size() + 1);
    if (!valid_name(name) || !size) return Error::invalid("bundle", which + " is malformed");
    const Block expected = header(name, *size);
    if (!std::equal(expected.begin(), expected.end(), block.begin())) {
      return Error::invalid("bundle", which + " (" + name + ") is not in canonical form");
    }
    at += kTarBlock;
    if (archive.size() - at < padded(*size) + 2 * kTarBlock) {
      return Error::invalid("bundle", "the archive is truncated inside " + name);
    }
    const auto data = archive.subspan(at, *size);
    if (!all_zero(archive.subspan(at + *size, padded(*size) - *size))) {
      return Error::invalid("bundle", "the padding after " + name + " is not zero");
    }
    files.push_back({name, Bytes(data.begin(), data.end())});
    at += padded(*size);
  }
  if (archive.size() - at != 2 * kTarBlock || !all_zero(archive.subspan(at))) {
    return Error::invalid("bundle", "bytes after the end of the archive");
  }
  return files;
}

}  // namespace baomi::audit
