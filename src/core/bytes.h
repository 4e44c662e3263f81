// Byte strings and hex encoding shared by every layer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace baomi {

using Bytes = std::vector<std::uint8_t>;

std::string to_hex(const std::uint8_t* data, std::size_t size);
inline std::string to_hex(const Bytes& b) { return to_hex(b.data(), b.size()); }
std::optional<Bytes> from_hex(std::string_view hex);
inline Bytes to_bytes(std::string_view s) { return Bytes(s.begin(), s.end()); }
inline std::string to_string(const Bytes& b) { return std::string(b.begin(), b.end()); }

// Appends a length-prefixed field (u32 big-endian length, then bytes): the canonical,
// unambiguous encoding used wherever bytes are hashed or bound as associated data.
void append_field(Bytes& out, std::string_view field);
void append_u64(Bytes& out, std::uint64_t v);

}  // namespace baomi
