// Parsers for the scalar value syntaxes of the policy file: durations ("8h", "1h30m"),
// byte sizes ("2GiB", "1048576"), identifiers and level markings. Pure functions.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace baomi::policy {

// One or more <digits><unit> groups, unit s, m, h or d, e.g. "15m", "1h30m". Positive only.
std::optional<std::chrono::seconds> parse_duration(std::string_view text);
// Digits with an optional binary unit: B, KiB, MiB, GiB, TiB. Overflow is rejected.
std::optional<std::uint64_t> parse_size(std::string_view text);
// [a-z][a-z0-9_]* up to 64 characters: the names clients send (categories, policy name).
bool is_identifier(std::string_view text);
// A marking is short, valid UTF-8 without control characters and without '★', which
// separates the marking from the secrecy term (S5).
bool is_valid_marking(std::string_view text);
bool is_valid_utf8(std::string_view text);

}  // namespace baomi::policy
