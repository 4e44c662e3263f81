#include "core/visible_text.h"

#include <cstdint>
#include <cstdio>
#include <vector>

namespace baomi {
namespace {

constexpr char32_t kInvalid = 0xFFFD;

// Decodes well-formed UTF-8 (shortest form, no surrogates, at most U+10FFFF); anything else
// becomes one kInvalid.
std::vector<char32_t> decode(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    int len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + static_cast<std::size_t>(len) > s.size()) {
      out.push_back(kInvalid);
      return out;
    }
    char32_t cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
    for (int k = 1; k < len; ++k) {
      const auto c = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
      if ((c & 0xC0) != 0x80) {
        out.push_back(kInvalid);
        return out;
      }
      cp = (cp << 6) | (c & 0x3F);
    }
    static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      out.push_back(kInvalid);
      return out;
    }
    out.push_back(cp);
    i += static_cast<std::size_t>(len);
  }
  return out;
}

bool in(char32_t cp, char32_t lo, char32_t hi) { return cp >= lo && cp <= hi; }

bool is_emoji(char32_t cp) {
  return in(cp, 0x1F000, 0x1FAFF) || in(cp, 0x2600, 0x27BF) || in(cp, 0x2300, 0x23FF) ||
         in(cp, 0x2B00, 0x2BFF) || cp == 0x00A9 || cp == 0x00AE || cp == 0x203C || cp == 0x2049 ||
         in(cp, 0x2190, 0x21FF);
}

bool is_cjk_ideograph(char32_t cp) {
  return in(cp, 0x4E00, 0x9FFF) || in(cp, 0x3400, 0x4DBF) || in(cp, 0x20000, 0x3134F) ||
         in(cp, 0xF900, 0xFAFF);
}

bool is_variation_selector(char32_t cp) {
  return in(cp, 0xFE00, 0xFE0F) || in(cp, 0xE0100, 0xE01EF);
}

bool is_tag(char32_t cp) { return in(cp, 0xE0000, 0xE007F); }

// Characters refused wherever they are (the list in the header).
bool always_hidden(char32_t cp) {
  return cp == kInvalid || cp == 0x7F || in(cp, 0x80, 0x9F) || cp == 0x00AD || cp == 0x034F ||
         cp == 0x061C || cp == 0x115F || cp == 0x1160 || cp == 0x180E || in(cp, 0x200B, 0x200C) ||
         in(cp, 0x200E, 0x200F) || in(cp, 0x2028, 0x202E) || in(cp, 0x2060, 0x2064) ||
         in(cp, 0x2066, 0x206F) || cp == 0x3164 || cp == 0xFEFF || cp == 0xFFA0 ||
         in(cp, 0xFFF9, 0xFFFB) || cp == 0xFFFE || cp == 0xFFFF || in(cp, 0xFE00, 0xFE0D);
}

bool control_refused(char32_t cp, TextShape shape) {
  if (cp >= 0x20) return false;
  const bool layout = cp == '\t' || cp == '\n' || cp == '\r';
  return !(layout && shape == TextShape::kParagraphs);
}

}  // namespace

std::optional<char32_t> first_hidden_char(std::string_view utf8, TextShape shape) {
  const auto cps = decode(utf8);
  for (std::size_t i = 0; i < cps.size(); ++i) {
    const char32_t cp = cps[i];
    const char32_t prev = i > 0 ? cps[i - 1] : 0;
    const char32_t next = i + 1 < cps.size() ? cps[i + 1] : 0;
    if (control_refused(cp, shape) || always_hidden(cp)) return cp;
    if (cp == 0x200D) {
      // Joins two emoji (after an optional presentation selector or skin tone): 👩‍💻.
      const bool joins = (is_emoji(prev) || prev == 0xFE0F) && is_emoji(next);
      if (!joins) return cp;
    } else if (in(cp, 0xFE0E, 0xFE0F)) {
      const bool after_visible = prev > 0x20 && !is_variation_selector(prev) && prev != 0x200D &&
                                 !control_refused(prev, TextShape::kLine);
      if (!after_visible) return cp;
    } else if (in(cp, 0xE0100, 0xE01EF)) {
      if (!is_cjk_ideograph(prev)) return cp;
    } else if (is_tag(cp)) {
      if (prev != 0x1F3F4 && !is_tag(prev)) return cp;  // 🏴 + tags: a subdivision flag
    }
  }
  return std::nullopt;
}

std::string code_point_label(char32_t cp) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
  return buf;
}

}  // namespace baomi
