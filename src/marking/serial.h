// Copy serial numbers (S7): every approved copy, print or excerpt gets a number that people read
// off paper and type back in, so its text form carries a Damm check digit. The Damm algorithm
// catches every single-digit substitution and every transposition of adjacent digits (including
// the check digit itself) with one decimal digit. Stateless; safe from any thread.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace baomi::marking {

// The Damm check digit (0-9) of a string of decimal digits; nullopt if `digits` is empty or holds
// anything but '0'-'9'. Leading zeros do not change it.
std::optional<int> damm_check_digit(std::string_view digits);

// "BM-" + the number, zero-padded to at least 6 digits + "-" + check digit, e.g. "BM-000572-4".
std::string format_serial(std::uint64_t number);

// Inverse of format_serial. Tolerates surrounding ASCII whitespace and a lower-case prefix;
// rejects everything else that format_serial would not produce: a wrong check digit, extra
// leading zeros, a number above 2^64-1, other separators.
std::optional<std::uint64_t> parse_serial(std::string_view text);

// A serial written somewhere in a text: the number and the byte range [offset, offset+length).
struct SerialMention {
  std::uint64_t number = 0;
  std::size_t offset = 0;
  std::size_t length = 0;
};

// Every well-formed serial in `text` (S10: the visible serial of a leaked print or copy), in
// order. A mention must stand alone (no letter or digit right before "BM-", no digit right
// after the check digit) and its check digit must verify, so a random run of digits after a
// "BM-" is not taken for a copy.
std::vector<SerialMention> find_serials(std::string_view text);

struct Serial {
  std::uint64_t number = 0;

  std::string str() const { return format_serial(number); }
  static std::optional<Serial> parse(std::string_view text);
  auto operator<=>(const Serial&) const = default;
};

}  // namespace baomi::marking
