// Utf8Check: every split of valid text is accepted, malformed bytes are refused wherever the
// split falls, and text ending inside a sequence fails at finish.
#include "marking/utf8_check.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace baomi::marking {
namespace {

bool check_split(const std::string& text, const std::vector<std::size_t>& cuts) {
  Utf8Check c;
  std::size_t at = 0;
  for (std::size_t cut : cuts) {
    if (!c.feed(std::string_view(text).substr(at, cut - at))) return false;
    at = cut;
  }
  if (!c.feed(std::string_view(text).substr(at))) return false;
  return c.finish();
}

TEST(Utf8Check, EverySplitOfValidTextIsAccepted) {
  const std::string text = "保密 secret 😀👩‍💻 é\xcc\x81 한국어 𝄞\r\n";
  for (std::size_t i = 0; i <= text.size(); ++i) {
    for (std::size_t j = i; j <= text.size(); ++j) {
      EXPECT_TRUE(check_split(text, {i, j})) << i << "," << j;
    }
  }
}

TEST(Utf8Check, MalformedBytesAreRefusedWhereverTheSplitFalls) {
  const std::string bad[] = {
      "ok\xff",
      "\xc0\xaf",
      "\xe0\x80\xaf",
      "\xed\xa0\x80",  // overlong, surrogate
      "\xf4\x90\x80\x80",
      "a\x80"
      "b",
      "\xe4\xbd",
      "\xe4\xbdx",  // >U+10FFFF, stray, cut
  };
  for (const auto& text : bad) {
    for (std::size_t i = 0; i <= text.size(); ++i) {
      EXPECT_FALSE(check_split(text, {i})) << "split at " << i;
    }
  }
}

TEST(Utf8Check, RandomPiecesOfALongTextAgreeWithOneShot) {
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "段落 paragraph 😀 ";
  std::mt19937 rng(7);
  for (int round = 0; round < 200; ++round) {
    std::vector<std::size_t> cuts;
    std::size_t at = 0;
    while (at < text.size()) {
      at = std::min(text.size(), at + 1 + rng() % 37);
      cuts.push_back(at);
    }
    EXPECT_TRUE(check_split(text, cuts));
  }
}

}  // namespace
}  // namespace baomi::marking
