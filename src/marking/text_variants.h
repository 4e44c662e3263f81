// The visible channel of text copies (S7, S10): a second fingerprint that survives the invisible
// one being stripped (chat apps and "paste as plain text" drop default-ignorable code points).
// Each copy chooses, at every eligible place of Chinese prose, between two forms a reader takes
// for the same text: full-width or half-width punctuation (，/, ：/: ；/; ！/! ？/? （/( ）/)),
// and where the policy allows, digit and Latin runs (２０２６/2026, ＶＩＰ/VIP), the space
// between two ideographs (U+3000 / U+0020) and 。、「」 / ｡､｢｣. The words never change: only
// equivalent forms (each pair is one character and its Unicode compatibility twin).
//
// Code: each eligible unit carries one bit, bit = <r, serial> XOR m over GF(2), where (r, m) is a
// keyed BLAKE2b of the unit's surroundings (its class, the 4 visible characters before it, its
// folded form and the one after it, all with the variants folded away, so the leaked text alone
// gives them back). Every unit is thus a random linear equation on the serial's bits: the decoder
// solves for the serial directly (Gaussian elimination over the bit width of the highest issued
// serial) without aligning the text to its source and without looking at any issued copy, and
// keeps it only when at least kTextVariantCheckBits further independent units agree with it (a
// text that carries no such code passes with probability 2^-20, see docs/fingerprint.md).
// Stateless; every function is safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "crypto/mac_key.h"

namespace baomi::marking {

// Which kinds of places a copy varies (the policy's documents.text_variants).
struct TextVariantClasses {
  bool punctuation = false;  // ，：；！？（） and their ASCII twins, between Chinese characters
  bool digits = false;       // a run of digits between Chinese characters: full- or half-width
  bool latin = false;        // a run of ASCII letters between Chinese characters
  bool space = false;        // one space between two ideographs: U+3000 or U+0020
  bool ideographic = false;  // 。、「」 or their half-width forms ｡､｢｣ (NFKC-equivalent)

  bool any() const { return punctuation || digits || latin || space; }
  std::uint32_t bits() const;
  static TextVariantClasses from_bits(std::uint32_t bits);
  bool operator==(const TextVariantClasses&) const = default;
};

// Independent agreeing units a decoded serial needs beyond those that determine it (before the
// correction for the number of attempts): the false-match rate per text is at most 2^-20.
inline constexpr std::size_t kTextVariantCheckBits = 20;

// `utf8_text` with every eligible unit of the enabled classes in the form `serial` chooses under
// `key`; the same for the same inputs. Error::invalid("text") if it is not well-formed UTF-8.
// Apply before embed_fingerprint (the invisible symbols then follow the chosen forms).
Result<std::string> embed_text_variants(std::string_view utf8_text, std::uint64_t serial,
                                        const crypto::MacKey& key, TextVariantClasses classes);

struct TextVariantMatch {
  std::uint64_t serial = 0;
  TextVariantClasses classes;  // the classes the decode used (a subset of the copy's)
  std::size_t units = 0;       // units that agree with the serial
  std::size_t checks = 0;      // of which beyond those needed to determine it
  std::size_t from = 0;        // byte range [from, to) of the text the units span
  std::size_t to = 0;
};

// Which class sets copies were issued with: bit b set for TextVariantClasses::bits() == b. The
// decoder tries only these (each restricted to the classes the text holds); every set tried is
// one more chance of a false match, so knowing them saves checks. kAnyTextVariantSets: all.
inline constexpr std::uint32_t kAnyTextVariantSets = 0xFFFFFFFEu;
inline std::uint32_t text_variant_set_bit(TextVariantClasses c) { return 1u << c.bits(); }

// Every serial in 1..max_serial whose code the text carries, in order of position (a paste from
// several copies yields each part). Cost: one keyed hash per unit and a 64-bit elimination,
// whatever the number of issued copies; never an error (malformed UTF-8 counts as other text).
std::vector<TextVariantMatch> find_text_variants(std::string_view text,
                                                 const crypto::MacKey& key,
                                                 std::uint64_t max_serial,
                                                 std::uint32_t issued_sets = kAnyTextVariantSets);

// How many units of `classes` the text has that a decoder can read (for measurements and docs).
std::size_t text_variant_units(std::string_view text, TextVariantClasses classes);

}  // namespace baomi::marking
