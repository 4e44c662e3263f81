// Request-target parsing: percent-decoding, path segments and query strings. Pure functions,
// thread-safe. Decoded text must be valid UTF-8 without NUL or other control characters, so
// nothing downstream (routing, logs, JSON errors) ever sees smuggled bytes.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace baomi::http {

using QueryMap = std::multimap<std::string, std::string, std::less<>>;

// True when `s` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool is_valid_utf8(std::string_view s);

// Decodes %XX escapes; with plus_is_space (query strings) '+' becomes ' '. Fails on a bad
// escape, invalid UTF-8, or control characters in the result.
std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space = false);

// Splits "/a/b%20c/d" into decoded segments {"a","b c","d"}. The path must start with '/';
// "/" yields no segments and a trailing '/' yields a final empty segment.
Result<std::vector<std::string>> split_path(std::string_view raw_path);

// Parses "a=1&b=x%20y&a=2" (without the '?'). Keys without '=' get an empty value; empty
// pairs ("a=1&&b=2") are skipped. Repeated keys keep their order.
Result<QueryMap> parse_query(std::string_view raw_query);

}  // namespace baomi::http
