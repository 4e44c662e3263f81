#include "policy/values.h"

#include <array>
#include <cctype>
#include <charconv>
#include <utility>

namespace baomi::policy {
namespace {

// Reads a run of at most `max_digits` ASCII digits from the front of `text`.
std::optional<std::uint64_t> take_number(std::string_view& text, std::size_t max_digits) {
  std::size_t n = 0;
  while (n < text.size() && n <= max_digits && std::isdigit(static_cast<unsigned char>(text[n]))) {
    ++n;
  }
  if (n == 0 || n > max_digits) return std::nullopt;
  std::uint64_t value = 0;
  std::from_chars(text.data(), text.data() + n, value);
  text.remove_prefix(n);
  return value;
}

std::optional<std::int64_t> duration_unit(char c) {
  switch (c) {
    case 's':
      return 1;
    case 'm':
      return 60;
    case 'h':
      return 3600;
    case 'd':
      return 86400;
    default:
      return std::nullopt;
  }
}

// Length of the UTF-8 sequence led by `b`, 0 if `b` cannot lead one.
int utf8_length(unsigned char b) {
  if (b < 0x80) return 1;
  if (b >= 0xC2 && b <= 0xDF) return 2;
  if (b >= 0xE0 && b <= 0xEF) return 3;
  if (b >= 0xF0 && b <= 0xF4) return 4;
  return 0;
}

// Second-byte bounds that exclude overlong forms, surrogates and code points > U+10FFFF.
bool valid_second_byte(unsigned char lead, unsigned char b) {
  if (lead == 0xE0) return b >= 0xA0 && b <= 0xBF;
  if (lead == 0xED) return b >= 0x80 && b <= 0x9F;
  if (lead == 0xF0) return b >= 0x90 && b <= 0xBF;
  if (lead == 0xF4) return b >= 0x80 && b <= 0x8F;
  return b >= 0x80 && b <= 0xBF;
}

}  // namespace

std::optional<std::chrono::seconds> parse_duration(std::string_view text) {
  constexpr std::int64_t kMaxSeconds = 100LL * 366 * 86400;  // keeps sums far from overflow
  if (text.empty()) return std::nullopt;
  std::int64_t total = 0;
  while (!text.empty()) {
    const auto number = take_number(text, 9);
    if (!number || text.empty()) return std::nullopt;
    const auto unit = duration_unit(text.front());
    if (!unit) return std::nullopt;
    text.remove_prefix(1);
    total += static_cast<std::int64_t>(*number) * *unit;
    if (total > kMaxSeconds) return std::nullopt;
  }
  if (total <= 0) return std::nullopt;
  return std::chrono::seconds(total);
}

std::optional<std::uint64_t> parse_size(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, std::uint64_t>, 6> kUnits = {{
      {"", 1},
      {"B", 1},
      {"KiB", 1ULL << 10},
      {"MiB", 1ULL << 20},
      {"GiB", 1ULL << 30},
      {"TiB", 1ULL << 40},
  }};
  const auto number = take_number(text, 15);
  if (!number) return std::nullopt;
  for (const auto& [suffix, factor] : kUnits) {
    if (text != suffix) continue;
    if (*number > UINT64_MAX / factor) return std::nullopt;
    return *number * factor;
  }
  return std::nullopt;
}

bool is_identifier(std::string_view text) {
  if (text.empty() || text.size() > 64) return false;
  if (text.front() < 'a' || text.front() > 'z') return false;
  for (char c : text) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

bool is_valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const int len = utf8_length(lead);
    if (len == 0 || i + static_cast<std::size_t>(len) > text.size()) return false;
    for (int k = 1; k < len; ++k) {
      const auto b = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
      const bool ok = k == 1 ? valid_second_byte(lead, b) : (b >= 0x80 && b <= 0xBF);
      if (!ok) return false;
    }
    i += static_cast<std::size_t>(len);
  }
  return true;
}

bool is_valid_marking(std::string_view text) {
  constexpr std::string_view kStar = "\u2605";  // ★ joins marking and term; never inside one
  if (text.empty() || text.size() > 64 || !is_valid_utf8(text)) return false;
  if (text.find(kStar) != std::string_view::npos) return false;
  for (char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b == 0x7F || b == ' ') return false;
  }
  return true;
}

}  // namespace baomi::policy
