// ASCII-only case folding for header names and similar protocol tokens. Pure, thread-safe.
#pragma once

#include <algorithm>
#include <string_view>

namespace baomi::http {

constexpr char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

inline bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](char x, char y) { return ascii_lower(x) == ascii_lower(y); });
}

}  // namespace baomi::http
