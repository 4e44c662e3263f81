// The visible channel: units, their keyed equations, embedding and the GF(2) decoder. Design,
// eligibility rules and measurements: docs/fingerprint.md ("The visible channel").
#include "marking/text_variants.h"

#include <algorithm>
#include <bit>
#include <map>
#include <unordered_map>

#include "core/bytes.h"
#include "crypto/hash.h"
#include "marking/fingerprint_frame.h"
#include "marking/fingerprint_text.h"

namespace baomi::marking {
namespace {

constexpr std::string_view kContext = "baomi.textvariant.v1";
constexpr std::size_t kBefore = 4;  // visible characters of context before a unit
constexpr char32_t kFullWidthOffset = 0xFEE0;
constexpr char32_t kIdeographicSpace = 0x3000;

enum class UnitClass : std::uint8_t { kPunctuation, kDigits, kLatin, kSpace, kIdeographic };

// The half-width forms of 。、「」 (U+FF61..FF64), in the order of their full-width twins.
constexpr char32_t kHalfIdeographic[] = {0x3002, 0x300C, 0x300D, 0x3001};
bool is_half_ideographic(char32_t cp) { return cp >= 0xFF61 && cp <= 0xFF64; }

// Full-width ASCII variants fold to ASCII and half-width 。、「」 to their usual forms, so a
// unit's surroundings read the same in every copy.
char32_t fold(char32_t cp) {
  if (cp >= 0xFF01 && cp <= 0xFF5E) return cp - kFullWidthOffset;
  return is_half_ideographic(cp) ? kHalfIdeographic[cp - 0xFF61] : cp;
}
bool is_ideographic_pair(char32_t c) {
  return c == 0x3002 || c == 0x3001 || c == 0x300C || c == 0x300D;
}
char32_t half_ideographic(char32_t folded) {
  for (char32_t i = 0; i < 4; ++i) {
    if (kHalfIdeographic[i] == folded) return 0xFF61 + i;
  }
  return folded;
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

struct Visible {
  char32_t cp = 0;
  char32_t folded = 0;
  std::size_t from = 0, to = 0;  // bytes of the character
  // The white space between the previous visible character and this one.
  std::size_t gap_count = 0;
  char32_t gap_cp = 0;  // when gap_count == 1
  std::size_t gap_from = 0, gap_to = 0;
};

// The visible characters (not white space, controls, marks or fingerprint symbols). Malformed
// bytes read as U+FFFD, which is no unit's neighbour.
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

struct Unit {
  UnitClass cls;
  std::size_t first, last;  // visible characters [first, last); a space: first == last
  int observed;             // 1 half-width / ASCII, 0 full-width / U+3000, -1 mixed
};

int form_of(const std::vector<Visible>& v, std::size_t first, std::size_t last) {
  bool ascii = false, wide = false;  // "ascii": the half-width form
  for (std::size_t i = first; i < last; ++i) {
    (v[i].cp < 0x80 || is_half_ideographic(v[i].cp) ? ascii : wide) = true;
  }
  return ascii && wide ? -1 : (ascii ? 1 : 0);
}

// Every unit with kBefore visible characters before it and one after it, in text order.
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

void put_u32(Bytes& b, char32_t c) {
  for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<std::uint8_t>(c >> s));
}

// The unit's equation: r (which serial bits it sums) and m (the keyed mask of its bit).
struct Equation {
  std::uint64_t r = 0;
  std::uint8_t m = 0;
};

Equation equation_of(const std::vector<Visible>& v, const Unit& u, const crypto::SecretKey& key) {
  Bytes msg = to_bytes(kContext);
  msg.push_back(static_cast<std::uint8_t>(u.cls));
  for (std::size_t i = u.first - kBefore; i < u.first; ++i) put_u32(msg, v[i].folded);
  if (u.cls == UnitClass::kSpace) put_u32(msg, ' ');
  for (std::size_t i = u.first; i < u.last; ++i) put_u32(msg, v[i].folded);
  put_u32(msg, v[u.last].folded);  // the character after the unit
  const Bytes h = crypto::keyed_hash32(key, msg);
  Equation e;
  for (std::size_t i = 0; i < 8; ++i) e.r = e.r << 8 | h[i];
  e.m = h[8] & 1;
  return e;
}

int parity(std::uint64_t v) { return std::popcount(v) & 1; }

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

// ---- decoding ----

struct Observation {
  std::uint64_t r;
  std::uint8_t rhs;  // observed bit XOR mask: parity(r & serial) must equal it
  UnitClass cls;
  std::size_t from, to;  // bytes
};

// Gaussian elimination over GF(2) on the low k bits, one equation at a time.
class Basis {
 public:
  explicit Basis(unsigned k) : mask_(k >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << k) - 1) {}
  enum class Outcome { kNew, kCheck, kConflict };
  Outcome add(std::uint64_t r, std::uint8_t rhs) {
    r &= mask_;
    while (r != 0) {
      const int h = 63 - std::countl_zero(r);
      if (!row_[h].used) {
        row_[h] = {r, rhs, true};
        ++rank_;
        return Outcome::kNew;
      }
      r ^= row_[h].r;
      rhs ^= row_[h].rhs;
    }
    return rhs == 0 ? Outcome::kCheck : Outcome::kConflict;
  }
  bool full() const { return rank_ == static_cast<unsigned>(std::popcount(mask_)); }
  std::uint64_t solve() const {  // when full: pivots from the lowest bit up
    std::uint64_t x = 0;
    for (int h = 0; h < 64; ++h) {
      if (!row_[h].used) continue;
      const std::uint64_t lower = row_[h].r & ~(std::uint64_t{1} << h);
      if ((row_[h].rhs ^ parity(lower & x)) != 0) x |= std::uint64_t{1} << h;
    }
    return x;
  }

 private:
  struct Row {
    std::uint64_t r = 0;
    std::uint8_t rhs = 0;
    bool used = false;
  };
  std::uint64_t mask_;
  Row row_[64];
  unsigned rank_ = 0;
};

struct Attempt {
  bool solved = false;
  std::uint64_t serial = 0;
  std::size_t units = 0, checks = 0;
  std::size_t next = 0;  // where the next attempt starts
};

// Reads observations from `start` until the serial is determined with `min_checks` independent
// agreeing units, then extends the segment while units agree. Fails at the first conflict.
Attempt attempt(const std::vector<Observation>& obs, std::size_t start, unsigned k,
                std::size_t min_checks, std::uint64_t max_serial) {
  Basis basis(k);
  std::unordered_map<std::uint64_t, std::uint8_t> seen;  // the same surroundings: no new check
  Attempt a;
  std::size_t checks = 0;
  for (std::size_t j = start; j < obs.size(); ++j) {
    const auto& o = obs[j];
    const auto [it, inserted] = seen.emplace(o.r, o.rhs);
    if (!inserted) {
      if (it->second != o.rhs) return {false, 0, 0, 0, std::max(j, start + 1)};
      continue;
    }
    const auto outcome = basis.add(o.r, o.rhs);
    if (outcome == Basis::Outcome::kConflict) return {false, 0, 0, 0, std::max(j, start + 1)};
    if (outcome == Basis::Outcome::kCheck) ++checks;
    if (!basis.full() || checks < min_checks) continue;
    const std::uint64_t x = basis.solve();
    if (x == 0 || x > max_serial) return {false, 0, 0, 0, j + 1};
    std::size_t end = j + 1;
    while (end < obs.size() && parity(obs[end].r & x) == obs[end].rhs) ++end;
    return {true, x, end - start, checks + (end - j - 1), end};
  }
  return {false, 0, 0, 0, obs.size()};
}

std::size_t ceil_log2(std::size_t n) {
  return n <= 1 ? 0 : static_cast<std::size_t>(std::bit_width(n - 1));
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
                                        const crypto::SecretKey& key, TextVariantClasses classes) {
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

std::vector<TextVariantMatch> find_text_variants(std::string_view text,
                                                 const crypto::SecretKey& key,
                                                 std::uint64_t max_serial) {
  if (max_serial == 0) return {};
  const unsigned k = static_cast<unsigned>(std::bit_width(max_serial));
  const auto v = visible_characters(text);
  std::vector<Observation> all;
  std::uint32_t present = 0;
  for (const auto& u : find_units(v)) {
    if (u.observed < 0) continue;  // a run of mixed widths was edited: it carries nothing
    const auto e = equation_of(v, u, key);
    const std::size_t from = u.cls == UnitClass::kSpace ? v[u.first].gap_from : v[u.first].from;
    const std::size_t to = u.cls == UnitClass::kSpace ? v[u.first].gap_to : v[u.last - 1].to;
    all.push_back({e.r, static_cast<std::uint8_t>(u.observed ^ e.m), u.cls, from, to});
    present |= 1u << static_cast<unsigned>(u.cls);
  }
  // Every non-empty subset of the classes present: a copy varies only its policy's classes, and
  // units of other classes are noise to its code. Each subset is one more chance of a false
  // match, and so is each restart after a conflict: both raise the checks required (union bound).
  std::vector<std::uint32_t> subsets;
  for (std::uint32_t s = present; s != 0; s = (s - 1) & present) subsets.push_back(s);
  std::sort(subsets.begin(), subsets.end(),
            [](auto a, auto b) { return std::popcount(a) > std::popcount(b); });
  const std::size_t first_checks = kTextVariantCheckBits + ceil_log2(subsets.size());
  const std::size_t later_checks =
      kTextVariantCheckBits + ceil_log2(subsets.size() * (1 + all.size() / (k + 2)));

  std::map<std::uint64_t, TextVariantMatch> best;  // per serial: the subset reading most units
  for (const auto subset : subsets) {
    std::vector<Observation> obs;
    for (const auto& o : all) {
      if (subset >> static_cast<unsigned>(o.cls) & 1) obs.push_back(o);
    }
    std::map<std::uint64_t, TextVariantMatch> found;
    for (std::size_t start = 0; start < obs.size();) {
      const auto a = attempt(obs, start, k, start == 0 ? first_checks : later_checks, max_serial);
      if (a.solved) {
        auto& m = found[a.serial];
        if (m.units == 0)
          m = {a.serial, TextVariantClasses::from_bits(subset), 0, 0, obs[start].from, 0};
        m.units += a.units;
        m.checks = std::max(m.checks, a.checks);
        m.to = obs[start + a.units - 1].to;
      }
      start = a.next;
    }
    for (auto& [serial, m] : found) {
      auto& b = best[serial];
      if (m.units > b.units) b = m;
    }
  }
  std::vector<TextVariantMatch> out;
  for (auto& [serial, m] : best) out.push_back(m);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.from < b.from; });
  return out;
}

std::size_t text_variant_units(std::string_view text, TextVariantClasses classes) {
  std::size_t n = 0;
  for (const auto& u : find_units(visible_characters(text))) n += enabled(classes, u.cls) ? 1 : 0;
  return n;
}

}  // namespace baomi::marking
