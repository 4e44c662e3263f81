#include "marking/serial.h"

#include <array>
#include <limits>

namespace baomi::marking {
namespace {

constexpr std::string_view kSerialPrefix = "BM-";
constexpr std::size_t kMinDigits = 6;
constexpr std::size_t kMaxDigits = 20;  // 2^64-1 has 20 decimal digits

// The weakly totally anti-symmetric quasigroup of order 10 from H. Michael Damm (2004); its zero
// diagonal is what makes "interim over digits + check digit == 0" the validity test.
constexpr std::array<std::array<std::uint8_t, 10>, 10> kDamm = {{
    {0, 3, 1, 7, 5, 9, 8, 6, 4, 2},
    {7, 0, 9, 2, 1, 5, 4, 8, 6, 3},
    {4, 2, 0, 6, 8, 7, 1, 3, 5, 9},
    {1, 7, 5, 0, 9, 8, 3, 4, 2, 6},
    {6, 1, 2, 3, 0, 4, 5, 9, 7, 8},
    {3, 6, 7, 4, 2, 0, 9, 5, 8, 1},
    {5, 8, 6, 9, 7, 2, 0, 1, 3, 4},
    {8, 9, 4, 5, 3, 6, 2, 0, 1, 7},
    {9, 4, 3, 8, 6, 1, 7, 2, 0, 5},
    {2, 5, 8, 1, 4, 3, 6, 7, 9, 0},
}};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string_view trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  const auto first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

bool has_prefix_ignoring_case(std::string_view s) {
  if (s.size() < kSerialPrefix.size()) return false;
  for (std::size_t i = 0; i < kSerialPrefix.size(); ++i) {
    char c = s[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c != kSerialPrefix[i]) return false;
  }
  return true;
}

std::optional<std::uint64_t> to_number(std::string_view digits) {
  std::uint64_t n = 0;
  for (char c : digits) {
    const auto d = static_cast<std::uint64_t>(c - '0');
    if (n > (std::numeric_limits<std::uint64_t>::max() - d) / 10) return std::nullopt;
    n = n * 10 + d;
  }
  return n;
}

}  // namespace

std::optional<int> damm_check_digit(std::string_view digits) {
  if (digits.empty()) return std::nullopt;
  std::uint8_t interim = 0;
  for (char c : digits) {
    if (!is_digit(c)) return std::nullopt;
    interim = kDamm[interim][static_cast<std::size_t>(c - '0')];
  }
  return interim;
}

std::string format_serial(std::uint64_t number) {
  std::string digits = std::to_string(number);
  if (digits.size() < kMinDigits) digits.insert(0, kMinDigits - digits.size(), '0');
  const int check = *damm_check_digit(digits);
  std::string out(kSerialPrefix);
  out += digits;
  out += '-';
  out += static_cast<char>('0' + check);
  return out;
}

std::optional<std::uint64_t> parse_serial(std::string_view text) {
  text = trim(text);
  if (!has_prefix_ignoring_case(text)) return std::nullopt;
  text.remove_prefix(kSerialPrefix.size());
  // What is left must be "<digits>-<check digit>".
  if (text.size() < kMinDigits + 2 || text[text.size() - 2] != '-') return std::nullopt;
  const std::string_view digits = text.substr(0, text.size() - 2);
  const char check = text.back();
  if (digits.size() > kMaxDigits || !is_digit(check)) return std::nullopt;
  // Only the canonical padding: a dropped or doubled leading zero must not name the same copy.
  if (digits.size() > kMinDigits && digits.front() == '0') return std::nullopt;
  const auto expected = damm_check_digit(digits);
  if (!expected || *expected != check - '0') return std::nullopt;
  return to_number(digits);
}

std::optional<Serial> Serial::parse(std::string_view text) {
  const auto number = parse_serial(text);
  if (!number) return std::nullopt;
  return Serial{*number};
}

std::vector<SerialMention> find_serials(std::string_view text) {
  std::vector<SerialMention> out;
  const auto alnum = [](char c) {
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  };
  for (std::size_t i = 0; i + kSerialPrefix.size() < text.size(); ++i) {
    if (!has_prefix_ignoring_case(text.substr(i)) || (i > 0 && alnum(text[i - 1]))) continue;
    std::size_t end = i + kSerialPrefix.size();
    while (end < text.size() && is_digit(text[end]) &&
           end - i <= kSerialPrefix.size() + kMaxDigits) {
      ++end;
    }
    if (end + 1 >= text.size() || text[end] != '-' || !is_digit(text[end + 1])) continue;
    end += 2;
    if (end < text.size() && is_digit(text[end])) continue;
    if (auto number = parse_serial(text.substr(i, end - i))) {
      out.push_back({*number, i, end - i});
      i = end - 1;
    }
  }
  return out;
}

}  // namespace baomi::marking
