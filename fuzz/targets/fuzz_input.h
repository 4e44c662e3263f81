// FuzzInput: splits a fuzzer's byte string into the pieces a target needs (numbers, a choice,
// strings), deterministically, so every crash reproduces from its saved input alone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "crypto/secret_key.h"

namespace baomi::fuzz {

class FuzzInput {
 public:
  FuzzInput(const std::uint8_t* data, std::size_t size)
      : rest_(reinterpret_cast<const char*>(data), size) {}

  bool empty() const { return rest_.empty(); }
  std::string_view rest() const { return rest_; }

  std::uint8_t byte() {
    if (rest_.empty()) return 0;
    const auto b = static_cast<std::uint8_t>(rest_.front());
    rest_.remove_prefix(1);
    return b;
  }

  std::uint64_t u64() {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | byte();
    return v;
  }

  // The bytes up to the next `sep` (consumed), or all that is left.
  std::string_view until(char sep) {
    const auto at = rest_.find(sep);
    std::string_view out = rest_.substr(0, at);
    rest_.remove_prefix(at == std::string_view::npos ? rest_.size() : at + 1);
    return out;
  }

 private:
  std::string_view rest_;
};

// A fixed key (byte i = mult * i + add), so a saved input replays against the same key.
inline crypto::SecretKey fixed_key(int mult, int add) {
  std::uint8_t bytes[crypto::SecretKey::kSize];
  for (int i = 0; i < static_cast<int>(sizeof bytes); ++i) {
    bytes[i] = static_cast<std::uint8_t>(mult * i + add);
  }
  return std::move(crypto::SecretKey::from_bytes(crypto::BytesView(bytes, sizeof bytes))).value();
}

// A failed property: abort so libFuzzer saves the input as a crash.
[[noreturn]] inline void property_failed(const char* what) {
  __builtin_printf("property failed: %s\n", what);
  __builtin_trap();
}

inline void check(bool ok, const char* what) {
  if (!ok) property_failed(what);
}

}  // namespace baomi::fuzz
