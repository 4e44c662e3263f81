// Internals of the fingerprint codec: the symbol alphabet and the frame format
//   [sync 8 symbols][payload 32 symbols = 64 bits][tag 24 symbols = 48 bits], 2 bits per symbol,
// most significant first, tag = first 6 bytes of keyed BLAKE2b("baomi.fingerprint.v1" || payload).
// Not a public API. Stateless; safe from any thread.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "crypto/mac_key.h"
#include "marking/fingerprint.h"

namespace baomi::marking::detail {

// The alphabet is U+FE04..U+FE07 (VARIATION SELECTOR-5..8), UTF-8 EF B8 84..87: symbol value =
// last byte - 0x84. Why these four: docs/fingerprint.md.
inline constexpr char32_t kFirstSymbol = 0xFE04;
inline constexpr unsigned char kSymbolByte0 = 0xEF;
inline constexpr unsigned char kSymbolByte1 = 0xB8;
inline constexpr unsigned char kSymbolByte2 = 0x84;

inline bool is_symbol(char32_t cp) { return cp >= kFirstSymbol && cp <= kFirstSymbol + 3; }
// 0xEF is never a UTF-8 continuation byte, so this byte test finds exactly the symbols.
inline bool is_symbol_at(const unsigned char* p, std::size_t avail) {
  return avail >= 3 && p[0] == kSymbolByte0 && p[1] == kSymbolByte1 &&
         (p[2] & 0xFC) == kSymbolByte2;
}

inline constexpr std::size_t kFrameLen = kFingerprintFrameSymbols;
inline constexpr std::size_t kSyncLen = 8;
inline constexpr std::size_t kPayloadLen = 32;
inline constexpr std::size_t kTagLen = kFrameLen - kSyncLen - kPayloadLen;
// No proper prefix equals a suffix, so the pattern never overlaps a shifted copy of itself.
inline constexpr std::array<std::uint8_t, kSyncLen> kSync = {1, 3, 0, 2, 2, 0, 3, 3};

using Frame = std::array<std::uint8_t, kFrameLen>;

// The 48-bit tag that authenticates `payload` under `key`.
std::uint64_t frame_tag(const crypto::MacKey& key, std::uint64_t payload);
Frame make_frame(std::uint64_t payload, const crypto::MacKey& key);
// Whether `tag` authenticates `payload` (constant time in the tag).
bool tag_matches(const crypto::MacKey& key, std::uint64_t payload, std::uint64_t tag);

}  // namespace baomi::marking::detail
