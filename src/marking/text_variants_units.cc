// The units of the visible channel and their keyed equations (text_variants_units.h). Which
// places are eligible, and why each rule keeps the text's meaning: docs/fingerprint.md.
#include "marking/text_variants_units.h"

#include "core/bytes.h"
#include "crypto/hash.h"
#include "marking/fingerprint_frame.h"
#include "marking/fingerprint_text.h"

namespace baomi::marking::detail {
namespace {

constexpr std::string_view kContext = "baomi.textvariant.v1";
constexpr std::size_t kBefore = 4;  // visible characters of context before a unit

// The half-width forms of 。、「」 (U+FF61..FF64), in the order of their full-width twins.
constexpr char32_t kHalfIdeographic[] = {0x3002, 0x300C, 0x300D, 0x3001};
bool is_half_ideographic(char32_t cp) { return cp >= 0xFF61 && cp <= 0xFF64; }
bool is_ideographic_pair(char32_t c) {
  return c == 0x3002 || c == 0x3001 || c == 0x300C || c == 0x300D;
}

bool is_han(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x323AF);
}
// CJK punctuation that has no ASCII twin: 、。《》「」“”… and the like.
bool is_cjk_punctuation(char32_t c) {
  return (c >= 0x3001 && c <= 0x303F) || (c >= 0x2018 && c <= 0x201F) || c == 0x2014 ||
         c == 0x2026 || c == 0x00B7 || (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF5F && c <= 0xFF65);
}
bool is_pair_punctuation(char32_t c) {
  return c == ',' || c == ':' || c == ';' || c == '!' || c == '?' || c == '(' || c == ')';
}
bool is_digit(char32_t c) { return c >= '0' && c <= '9'; }
bool is_latin(char32_t c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
// Neighbours of a swappable punctuation mark: Chinese text and punctuation (folded).
bool is_prose(char32_t c) { return is_han(c) || is_cjk_punctuation(c) || is_pair_punctuation(c); }
// Neighbours of a digit or Latin run: never a mark that could separate parts of a number or a
// token ("10:30", "1,000", "(1)"), so a swap never touches how a number or a name reads.
bool is_strict_prose(char32_t c) { return is_han(c) || is_cjk_punctuation(c); }

int form_of(const std::vector<Visible>& v, std::size_t first, std::size_t last) {
  bool ascii = false, wide = false;  // "ascii": the half-width form
  for (std::size_t i = first; i < last; ++i) {
    (v[i].cp < 0x80 || is_half_ideographic(v[i].cp) ? ascii : wide) = true;
  }
  return ascii && wide ? -1 : (ascii ? 1 : 0);
}

void put_u32(Bytes& b, char32_t c) {
  for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<std::uint8_t>(c >> s));
}

}  // namespace

char32_t fold(char32_t cp) {
  if (cp >= 0xFF01 && cp <= 0xFF5E) return cp - kFullWidthOffset;
  return is_half_ideographic(cp) ? kHalfIdeographic[cp - 0xFF61] : cp;
}

char32_t half_ideographic(char32_t folded) {
  for (char32_t i = 0; i < 4; ++i) {
    if (kHalfIdeographic[i] == folded) return 0xFF61 + i;
  }
  return folded;
}

std::vector<Visible> visible_characters(std::string_view text) {
  std::vector<Visible> out;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  Visible next;
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = 0xFFFD;
    std::size_t len = detail::decode_utf8(p + i, text.size() - i, cp);
    if (len == 0) {
      cp = 0xFFFD;
      len = 1;
    }
    const auto cls = detail::classify(cp);
    if (cls == detail::CharClass::kSpace) {
      if (++next.gap_count == 1) {
        next.gap_cp = cp;
        next.gap_from = i;
        next.gap_to = i + len;
      }
    } else if (!detail::is_symbol(cp) && detail::is_carrier(cls)) {
      next.cp = cp;
      next.folded = fold(cp);
      next.from = i;
      next.to = i + len;
      out.push_back(next);
      next = Visible{};
    }
    i += len;
  }
  return out;
}

std::vector<Unit> find_units(const std::vector<Visible>& v) {
  std::vector<Unit> units;
  const std::size_t n = v.size();
  for (std::size_t i = kBefore; i + 1 < n;) {
    const char32_t c = v[i].folded;
    if (v[i].gap_count == 1 && is_han(v[i - 1].folded) && is_han(c) &&
        (v[i].gap_cp == ' ' || v[i].gap_cp == kIdeographicSpace)) {
      units.push_back({UnitClass::kSpace, i, i, v[i].gap_cp == ' ' ? 1 : 0});
    }
    if (is_pair_punctuation(c) || is_ideographic_pair(c)) {
      const char32_t before = v[i - 1].folded, after = v[i + 1].folded;
      if (is_prose(before) && is_prose(after) && (is_han(before) || is_han(after))) {
        const auto cls = is_pair_punctuation(c) ? UnitClass::kPunctuation : UnitClass::kIdeographic;
        units.push_back({cls, i, i + 1, form_of(v, i, i + 1)});
      }
      ++i;
      continue;
    }
    const bool digit = is_digit(c);
    if (!digit && !is_latin(c)) {
      ++i;
      continue;
    }
    std::size_t end = i + 1;
    while (end < n && v[end].gap_count == 0 &&
           (digit ? is_digit(v[end].folded) : is_latin(v[end].folded))) {
      ++end;
    }
    if (end < n && is_strict_prose(v[i - 1].folded) && is_strict_prose(v[end].folded)) {
      units.push_back({digit ? UnitClass::kDigits : UnitClass::kLatin, i, end, form_of(v, i, end)});
    }
    i = end;
  }
  return units;
}

bool enabled(TextVariantClasses classes, UnitClass c) {
  switch (c) {
    case UnitClass::kPunctuation:
      return classes.punctuation;
    case UnitClass::kDigits:
      return classes.digits;
    case UnitClass::kLatin:
      return classes.latin;
    case UnitClass::kSpace:
      return classes.space;
    case UnitClass::kIdeographic:
      return classes.ideographic;
  }
  return false;
}

Equation equation_of(const std::vector<Visible>& v, const Unit& u, const crypto::MacKey& key) {
  Bytes msg = to_bytes(kContext);
  msg.push_back(static_cast<std::uint8_t>(u.cls));
  for (std::size_t i = u.first - kBefore; i < u.first; ++i) put_u32(msg, v[i].folded);
  if (u.cls == UnitClass::kSpace) put_u32(msg, ' ');
  for (std::size_t i = u.first; i < u.last; ++i) put_u32(msg, v[i].folded);
  put_u32(msg, v[u.last].folded);  // the character after the unit
  const Bytes h = key.keyed_hash32(msg);
  Equation e;
  for (std::size_t i = 0; i < 8; ++i) e.r = e.r << 8 | h[i];
  e.m = h[8] & 1;
  return e;
}

}  // namespace baomi::marking::detail
