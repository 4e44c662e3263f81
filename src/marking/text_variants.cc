// The visible channel: embedding (text_variants.h). Units and equations:
// text_variants_units.cc; the decoder: text_variants_decode.cc. Design: docs/fingerprint.md.
#include "marking/text_variants.h"

#include <algorithm>
#include <tuple>

#include "marking/fingerprint_text.h"
#include "marking/text_variants_units.h"

namespace baomi::marking {
namespace {

using namespace detail;

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | cp >> 6);
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | cp >> 12);
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

std::uint32_t TextVariantClasses::bits() const {
  return (punctuation ? 1u : 0u) | (digits ? 2u : 0u) | (latin ? 4u : 0u) | (space ? 8u : 0u) |
         (ideographic ? 16u : 0u);
}

TextVariantClasses TextVariantClasses::from_bits(std::uint32_t b) {
  return {(b & 1) != 0, (b & 2) != 0, (b & 4) != 0, (b & 8) != 0, (b & 16) != 0};
}

Result<std::string> embed_text_variants(std::string_view text, std::uint64_t serial,
                                        const crypto::MacKey& key, TextVariantClasses classes) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    const std::size_t len = detail::decode_utf8(p + i, text.size() - i, cp);
    if (len == 0) return Error::invalid("text", "the text is not well-formed UTF-8");
    i += len;
  }
  if (!classes.any()) return std::string(text);
  const auto v = visible_characters(text);
  // Byte ranges to replace, in order, with the code point each becomes.
  std::vector<std::tuple<std::size_t, std::size_t, char32_t>> edits;
  for (const auto& u : find_units(v)) {
    if (!enabled(classes, u.cls)) continue;
    const auto e = equation_of(v, u, key);
    const bool half = (parity(e.r & serial) ^ e.m) != 0;
    if (u.cls == UnitClass::kSpace) {
      edits.emplace_back(v[u.first].gap_from, v[u.first].gap_to,
                         half ? char32_t{' '} : kIdeographicSpace);
      continue;
    }
    for (std::size_t i = u.first; i < u.last; ++i) {
      const char32_t f = v[i].folded;
      const char32_t wide = u.cls == UnitClass::kIdeographic ? f : f + kFullWidthOffset;
      const char32_t narrow = u.cls == UnitClass::kIdeographic ? half_ideographic(f) : f;
      edits.emplace_back(v[i].from, v[i].to, half ? narrow : wide);
    }
  }
  std::sort(edits.begin(), edits.end());
  std::string out;
  out.reserve(text.size() + edits.size() * 2);
  std::size_t kept = 0;
  for (const auto& [from, to, cp] : edits) {
    out.append(text.substr(kept, from - kept));
    append_utf8(out, cp);
    kept = to;
  }
  out.append(text.substr(kept));
  return out;
}

std::size_t text_variant_units(std::string_view text, TextVariantClasses classes) {
  std::size_t n = 0;
  for (const auto& u : find_units(visible_characters(text))) n += enabled(classes, u.cls) ? 1 : 0;
  return n;
}

}  // namespace baomi::marking
