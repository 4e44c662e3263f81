// Byte views taken by the crypto wrappers, plus a helper to view text as bytes.
// Header-only and stateless; safe from any thread.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "core/bytes.h"

namespace baomi::crypto {

using BytesView = std::span<const std::uint8_t>;

// Views the characters of `s` as bytes (no copy); `s` must outlive the view.
inline BytesView bytes_of(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

}  // namespace baomi::crypto
