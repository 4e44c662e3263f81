// Internals of the fingerprint codec: strict UTF-8 decoding and the per-code-point classes that
// decide where an invisible symbol may go without changing how text renders, wraps or segments
// (UAX #29 grapheme clusters, simplified). Not a public API. Functions are stateless and safe from
// any thread; a Placement belongs to one embedder.
#pragma once

#include <cstddef>
#include <cstdint>

namespace baomi::marking::detail {

enum class CharClass : std::uint8_t {
  kBase,      // a visible character: it carries one symbol
  kSpace,     // Unicode White_Space: never carries, never followed by a symbol
  kControl,   // Cc/Cf/Zl/Zp and other grapheme "Control": invisible, never carries
  kAttach,    // Extend/SpacingMark/Hangul V,T: joins the previous cluster, no symbol before it
  kGlue,      // ZWJ and viramas: also joins the next letter (emoji ZWJ sequences, conjuncts)
  kPrepend,   // joins the next cluster
  kHangulL,   // leading jamo: joins following jamo/syllables
  kRegional,  // regional indicators: pairs form one flag
};

CharClass classify_slow(char32_t cp);

// Fast paths for ASCII and the CJK blocks, which make up nearly all of our documents.
inline CharClass classify(char32_t cp) {
  if (cp < 0x80) {
    if (cp == ' ' || (cp >= 0x09 && cp <= 0x0D)) return CharClass::kSpace;
    return (cp < 0x20 || cp == 0x7F) ? CharClass::kControl : CharClass::kBase;
  }
  if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
      (cp >= 0xFF01 && cp <= 0xFF5E)) {
    return CharClass::kBase;
  }
  return classify_slow(cp);
}

// Decodes one well-formed UTF-8 code point from p[0..avail): returns its length (1-4), or 0 for
// an overlong form, a surrogate, a value above U+10FFFF or a truncated/stray byte (tell the last
// two apart with utf8_prefix_length).
inline std::size_t decode_utf8(const unsigned char* p, std::size_t avail, char32_t& cp) {
  const unsigned char b0 = p[0];
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  auto cont = [&](std::size_t i, unsigned char lo, unsigned char hi) {
    return i < avail && p[i] >= lo && p[i] <= hi;
  };
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    if (!cont(1, 0x80, 0xBF)) return 0;
    cp = static_cast<char32_t>((b0 & 0x1F) << 6 | (p[1] & 0x3F));
    return 2;
  }
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    const unsigned char lo = b0 == 0xE0 ? 0xA0 : 0x80;
    const unsigned char hi = b0 == 0xED ? 0x9F : 0xBF;  // excludes surrogates
    if (!cont(1, lo, hi) || !cont(2, 0x80, 0xBF)) return 0;
    cp = static_cast<char32_t>((b0 & 0x0F) << 12 | (p[1] & 0x3F) << 6 | (p[2] & 0x3F));
    return 3;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    const unsigned char lo = b0 == 0xF0 ? 0x90 : 0x80;
    const unsigned char hi = b0 == 0xF4 ? 0x8F : 0xBF;  // caps at U+10FFFF
    if (!cont(1, lo, hi) || !cont(2, 0x80, 0xBF) || !cont(3, 0x80, 0xBF)) return 0;
    cp = static_cast<char32_t>((b0 & 0x07) << 18 | (p[1] & 0x3F) << 12 | (p[2] & 0x3F) << 6 |
                               (p[3] & 0x3F));
    return 4;
  }
  return 0;
}

// When p[0..avail) is a proper prefix of a well-formed sequence (decode_utf8 refused it only for
// want of bytes), the length of the whole sequence; otherwise 0. A stream holds such a prefix back
// until the next piece completes it.
inline std::size_t utf8_prefix_length(const unsigned char* p, std::size_t avail) {
  const unsigned char b0 = p[0];
  std::size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the second byte's range, as in decode_utf8
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  }
  if (len == 0 || avail >= len) return 0;
  for (std::size_t i = 1; i < avail; ++i) {
    if (p[i] < (i == 1 ? lo : 0x80) || p[i] > (i == 1 ? hi : 0xBF)) return 0;
  }
  return len;
}

// The characters that carry a symbol: what a reader sees as one visible character.
inline bool is_carrier(CharClass c) {
  return c == CharClass::kBase || c == CharClass::kHangulL || c == CharClass::kRegional;
}

// Decides where the symbol owed by a visible character goes: at the first grapheme cluster
// boundary after it, never inside a cluster (before a combining mark, between CR and LF, inside
// an emoji ZWJ sequence, flag or conjunct) and so never after white space. It looks only at the
// previous code point, so a stream needs to hold back nothing for it.
class Placement {
 public:
  bool owes() const { return owe_; }
  void paid() { owe_ = false; }

  // Whether a symbol may go between the previous code point and one of class `next`.
  bool allows(CharClass next) const {
    if (next == CharClass::kAttach || next == CharClass::kGlue) return false;
    if (!is_carrier(next) && next != CharClass::kPrepend) return true;  // space, control
    if (prev_ == CharClass::kGlue || prev_ == CharClass::kPrepend || prev_ == CharClass::kHangulL) {
      return false;
    }
    return !(next == CharClass::kRegional && prev_ == CharClass::kRegional && ri_open_);
  }

  void after(CharClass c) {
    ri_open_ = c == CharClass::kRegional && !(prev_ == CharClass::kRegional && ri_open_);
    owe_ = owe_ || is_carrier(c);
    prev_ = c;
  }

 private:
  CharClass prev_ = CharClass::kSpace;
  bool ri_open_ = false;  // a regional indicator waits for the second half of its flag
  bool owe_ = false;
};

}  // namespace baomi::marking::detail
