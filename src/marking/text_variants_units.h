// Internals of the visible channel (text_variants.h): the units of a text, the forms each can
// take, and the keyed equation each carries. Shared by the embedder (text_variants.cc) and the
// decoder (text_variants_decode.cc). Not a public API. Stateless; safe from any thread.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "crypto/mac_key.h"
#include "marking/text_variants.h"

namespace baomi::marking::detail {

inline constexpr char32_t kFullWidthOffset = 0xFEE0;
inline constexpr char32_t kIdeographicSpace = 0x3000;

enum class UnitClass : std::uint8_t { kPunctuation, kDigits, kLatin, kSpace, kIdeographic };

// Full-width ASCII variants fold to ASCII and half-width 。、「」 to their usual forms, so a
// unit's surroundings read the same in every copy.
char32_t fold(char32_t cp);
// The half-width twin of a folded 。、「」.
char32_t half_ideographic(char32_t folded);

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
std::vector<Visible> visible_characters(std::string_view text);

struct Unit {
  UnitClass cls;
  std::size_t first, last;  // visible characters [first, last); a space: first == last
  int observed;             // 1 half-width / ASCII, 0 full-width / U+3000, -1 mixed
};

// Every unit with 4 visible characters before it and one after it, in text order.
std::vector<Unit> find_units(const std::vector<Visible>& v);

bool enabled(TextVariantClasses classes, UnitClass c);

// The unit's equation: r (which serial bits it sums) and m (the keyed mask of its bit).
struct Equation {
  std::uint64_t r = 0;
  std::uint8_t m = 0;
};
Equation equation_of(const std::vector<Visible>& v, const Unit& u, const crypto::MacKey& key);

inline int parity(std::uint64_t v) { return std::popcount(v) & 1; }

// find_text_variants with the base number of check bits as a parameter: the product always uses
// kTextVariantCheckBits; tests lower it to see the false-match rate the argument predicts.
std::vector<TextVariantMatch> find_text_variants_checked(std::string_view text,
                                                         const crypto::MacKey& key,
                                                         std::uint64_t max_serial,
                                                         std::uint32_t issued_sets,
                                                         std::size_t check_bits);

}  // namespace baomi::marking::detail
