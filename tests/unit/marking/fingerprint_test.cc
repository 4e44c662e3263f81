#include "marking/fingerprint.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "crypto/secret_key.h"
#include "marking/fingerprint_frame.h"

namespace baomi::marking {
namespace {

using Rng = std::mt19937_64;
const std::string kSym[4] = {"\uFE04", "\uFE05", "\uFE06", "\uFE07"};

crypto::MacKey fixed_key(std::uint8_t fill) {
  return crypto::MacKey(std::move(crypto::SecretKey::from_bytes(Bytes(32, fill))).value());
}

std::string embed(std::string_view text, std::uint64_t payload, const crypto::MacKey& key) {
  auto r = embed_fingerprint(text, payload, key);
  EXPECT_TRUE(r.ok());
  return r.ok() ? *r : std::string();
}

// ---- A deterministic Chinese, ASCII or mixed corpus of about 3,000 visible characters. ----

enum class Script { kMixed, kChinese, kAscii };

std::string corpus(std::size_t min_visible = 3000, std::uint64_t seed = 1,
                   Script script = Script::kMixed) {
  static const char* kChinese[] = {
      "根据保密法第五条的规定，秘密文件必须标明密级。",
      "本文件由专人负责印发、传递和保管，不得擅自复制或摘抄。",
      "各单位应当于二〇三〇年十二月三十一日前完成自查工作。",
      "涉密人员离岗离职时，应当清退所持有的全部涉密载体。",
      "会议纪要仅限参会人员阅知，阅后及时收回登记。",
      "对违反规定造成泄密的，依法追究有关人员的责任。",
      "传阅时须填写《文件传阅单》，注明阅件人、时间和份号。",
      "（一）严格控制知悉范围；（二）落实审批手续；（三）做好销毁记录。",
      "系统日志显示：第３号副本已于今日上午归还保密室。",
      "“密级标志”是指在文件首页标注的秘密★二〇三〇年字样。",
  };
  static const char* kAscii[] = {
      "approval",     "custodian", "serial",   "copy",   "print",       "excerpt",
      "holder",       "version",   "audit",    "trail",  "BM-000123-7", "2030-12-31",
      "need-to-know", "clearance", "Section",  "4.2(b)", "e.g.",        "RFC3339",
      "v1.0",         "HTTP/1.1",  "document", "issued", "returned",    "the",
      "of",           "and",       "to"};
  Rng rng(seed);
  std::string out;
  std::size_t visible = 0;
  while (visible < min_visible) {
    const int sentences = 2 + static_cast<int>(rng() % 4);
    for (int s = 0; s < sentences; ++s) {
      const bool ascii = script == Script::kMixed ? rng() % 3 == 0 : script == Script::kAscii;
      if (ascii) {
        const int words = 3 + static_cast<int>(rng() % 9);
        for (int w = 0; w < words; ++w) {
          if (w) out += ' ';
          out += kAscii[rng() % std::size(kAscii)];
        }
        out += ". ";
      } else {
        out += kChinese[rng() % std::size(kChinese)];
      }
    }
    out += "\n";
    visible = visible_length(out);
  }
  return out;
}

// ---- Excerpts cut at arbitrary code points of a marked text. ----

bool is_symbol_bytes(std::string_view s, std::size_t at) {
  return s.size() >= at + 3 && s.compare(at, 2, "\xEF\xB8") == 0 &&
         (static_cast<unsigned char>(s[at + 2]) & 0xFC) == 0x84;
}

struct Indexed {
  std::string text;
  std::vector<std::size_t> starts;        // byte offset of each code point, then text.size()
  std::vector<std::size_t> vis_before;    // visible code points before each index
  std::vector<std::size_t> chars_before;  // code points other than symbols before each index
};

// "Visible" here is judged independently of the library: not ASCII/ideographic space, not a symbol.
Indexed index_text(std::string text) {
  Indexed ix{std::move(text), {}, {0}, {0}};
  for (std::size_t i = 0; i < ix.text.size(); ++i) {
    if ((static_cast<unsigned char>(ix.text[i]) & 0xC0) != 0x80) ix.starts.push_back(i);
  }
  ix.starts.push_back(ix.text.size());
  for (std::size_t k = 0; k + 1 < ix.starts.size(); ++k) {
    const std::size_t at = ix.starts[k];
    const char c = ix.text[at];
    const bool space =
        c == ' ' || c == '\n' || c == '\t' || c == '\r' || ix.text.compare(at, 3, "\u3000") == 0;
    const bool symbol = is_symbol_bytes(ix.text, at);
    ix.vis_before.push_back(ix.vis_before.back() + (space || symbol ? 0 : 1));
    ix.chars_before.push_back(ix.chars_before.back() + (symbol ? 0 : 1));
  }
  return ix;
}

// What an excerpt's length counts: visible characters only, or every character a reader could
// select (white space included, so fewer of them carry a symbol), the fingerprint aside.
enum class Count { kVisible, kChars };

// A random excerpt holding exactly `length` characters, starting at any code point (possibly an
// orphaned symbol) and ending before or after the last character's symbol.
std::string excerpt(const Indexed& ix, std::size_t length, Rng& rng,
                    Count count = Count::kVisible) {
  const auto& vb = count == Count::kVisible ? ix.vis_before : ix.chars_before;
  const std::size_t total = vb.back();
  const auto last_start = static_cast<std::size_t>(
      std::upper_bound(vb.begin(), vb.end(), total - length) - vb.begin() - 1);
  const std::size_t k = rng() % (last_start + 1);
  auto e = static_cast<std::size_t>(
      std::lower_bound(vb.begin() + static_cast<std::ptrdiff_t>(k), vb.end(), vb[k] + length) -
      vb.begin());
  if (e + 1 < ix.starts.size() && is_symbol_bytes(ix.text, ix.starts[e]) && rng() % 2) ++e;
  return ix.text.substr(ix.starts[k], ix.starts[e] - ix.starts[k]);
}

// ---- What people do to copied text: re-wrap, re-space, CRLF, quoting. ----

bool is_ws(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }
bool starts_cp(char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }

std::string rewrap_code_points(const std::string& s, std::size_t width) {  // may split a symbol off
  std::string out;
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (starts_cp(s[i]) && n++ == width) {
      out += '\n';
      n = 1;
    }
    out += s[i];
  }
  return out;
}

std::string rewrap_visible(const std::string& s, std::size_t width) {  // like an editor would
  std::string out;
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n' || s[i] == '\r') continue;
    if (starts_cp(s[i]) && !is_symbol_bytes(s, i) && !is_ws(s[i]) && n++ == width) {
      out += '\n';
      n = 1;
    }
    out += s[i];
  }
  return out;
}

std::string collapse_ws(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (!is_ws(c)) {
      out += c;
    } else if (out.empty() || out.back() != ' ') {
      out += ' ';
    }
  }
  return out;
}

std::string expand_ws(const std::string& s, Rng& rng) {
  static const char kWs[] = {' ', '\t', '\n', ' '};
  std::string out;
  for (char c : s) {
    if (!is_ws(c)) {
      out += c;
      continue;
    }
    for (std::size_t r = 1 + rng() % 3; r > 0; --r) out += kWs[rng() % 4];
  }
  return out;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
  return s;
}

std::string remove_if_ws(const std::string& s, bool newlines_only) {
  std::string out;
  for (char c : s) {
    if (newlines_only ? (c != '\n' && c != '\r') : !is_ws(c)) out += c;
  }
  return out;
}

std::string transform(std::string s, Rng& rng) {
  static const char* kIndent[] = {"    ", "\t", "> ", "  > ", "\t\t"};
  for (std::size_t steps = 1 + rng() % 4; steps > 0; --steps) {
    switch (rng() % 9) {
      case 0:
        s = rewrap_code_points(s, 8 + rng() % 80);
        break;
      case 1:
        s = rewrap_visible(s, 10 + rng() % 70);
        break;
      case 2:
        s = collapse_ws(s);
        break;
      case 3:
        s = expand_ws(s, rng);
        break;
      case 4:
        s = replace_all(s, "\n", "\r\n");
        break;
      case 5:
        s = remove_if_ws(s, true);
        break;
      case 6:
        s = kIndent[rng() % 5] + replace_all(s, "\n", std::string("\n") + kIndent[rng() % 5]);
        break;
      case 7:
        s = remove_if_ws(s, false);
        break;
      default:
        s = "\n  " + s + " \r\n";
        break;
    }
  }
  return s;
}

// ---- The issue #3 acceptance test. ----

// S7: every approved copy is traceable. 1,000 copies of a mixed, a Chinese and an ASCII text;
// from each copy 8 random excerpts of 200-600 characters (white space counted, so an ASCII
// excerpt may hold only ~170 visible characters), among them one of exactly 200 characters per
// text, each randomly re-wrapped and re-spaced: every one names its own copy and no other.
TEST(Fingerprint, S7_EveryExcerptIdentifiesItsOwnCopyAndNoOther) {
  const auto key = fixed_key(0x42);
  struct Source {
    const char* name;
    std::string text;
    int random_excerpts;  // of 200-600 characters, plus one of exactly 200
  };
  const Source sources[] = {{"mixed", corpus(), 3},
                            {"chinese", corpus(3000, 2, Script::kChinese), 1},
                            {"ascii", corpus(3000, 3, Script::kAscii), 1}};
  for (const Source& src : sources) {
    ASSERT_GE(visible_length(src.text), 3000u) << src.name;
  }
  // The Chinese and ASCII texts really are: no ASCII letter in one, nothing but ASCII in the other.
  EXPECT_EQ(std::count_if(sources[1].text.begin(), sources[1].text.end(),
                          [](char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }),
            0);
  EXPECT_TRUE(std::all_of(sources[2].text.begin(), sources[2].text.end(),
                          [](char c) { return static_cast<unsigned char>(c) < 0x80; }));

  Rng rng(2024);
  std::set<std::uint64_t> payloads;
  std::size_t excerpts = 0, short_ok = 0, min_visible = SIZE_MAX;
  for (std::uint64_t copy = 0; copy < 1000; ++copy) {
    // Half look like issued serials (neighbours differ in a few bits), half are arbitrary.
    const std::uint64_t payload = copy < 500 ? 100000 + copy : rng();
    ASSERT_TRUE(payloads.insert(payload).second);
    for (const Source& src : sources) {
      const Indexed ix = index_text(embed(src.text, payload, key));
      for (int j = 0; j <= src.random_excerpts; ++j) {
        const std::size_t length = j == 0 ? 200 : 200 + rng() % 401;
        const std::string cut = excerpt(ix, length, rng, Count::kChars);
        min_visible = std::min(min_visible, visible_length(cut));
        const std::string ex = transform(cut, rng);
        const auto found = find_fingerprints(ex, key);
        ASSERT_EQ(found.size(), 1u) << src.name << " copy " << copy << " excerpt " << j;
        ASSERT_EQ(found[0].payload, payload) << src.name << " copy " << copy << " excerpt " << j;
        ASSERT_EQ(decode_fingerprint(ex, key), payload);
        ++excerpts;
      }
      // 150 visible characters: fewer than promised, yet any 64 consecutive symbols decode;
      // above all, they must never name another copy.
      const auto short_found = decode_fingerprint(transform(excerpt(ix, 150, rng), rng), key);
      if (short_found) {
        ASSERT_EQ(*short_found, payload) << src.name << " copy " << copy;
        ++short_ok;
      }
    }
  }
  EXPECT_EQ(payloads.size(), 1000u);
  EXPECT_EQ(excerpts, 8000u);
  EXPECT_LT(min_visible, 200u);  // some ASCII excerpts had fewer visible characters
  EXPECT_EQ(short_ok, 3000u);
}

TEST(Fingerprint, ExcerptOfOneFrameDecodesFromAnyStart) {
  const auto key = fixed_key(1);
  const Indexed ix = index_text(embed(corpus(600, 9), 77, key));
  Rng rng(5);
  for (int i = 0; i < 300; ++i) {
    // One full period of symbols, starting anywhere in the frame.
    const std::string ex = excerpt(ix, kFingerprintFrameSymbols + 1, rng);
    EXPECT_GE(fingerprint_symbol_count(ex), kFingerprintFrameSymbols);
    EXPECT_EQ(decode_fingerprint(ex, key), 77u);
  }
}

TEST(Fingerprint, StrippedTextEqualsOriginal) {
  const auto key = fixed_key(2);
  for (const std::string& t :
       {corpus(), std::string(), std::string("   \n\t"), std::string("x"),
        std::string(
            "e\u0301 caf\u00e9 \U0001F468\u200D\U0001F469\u200D\U0001F467 \U0001F1E8\U0001F1F3"),
        std::string(
            "\u0915\u094D\u0937 \u1112\u1161\u11AB \u05E9\u05C1 \u0628\u0650 a\r\nb\r\n")}) {
    const std::string marked = embed(t, 0xDEADBEEFCAFEF00Dull, key);
    EXPECT_EQ(strip_fingerprint(marked), t);
    EXPECT_EQ(visible_length(marked), visible_length(t));
  }
}

TEST(Fingerprint, ChineseAndAsciiCarryOneSymbolPerVisibleCharacter) {
  const std::string text = corpus();
  const std::string marked = embed(text, 5, fixed_key(3));
  EXPECT_EQ(fingerprint_symbol_count(marked), visible_length(text));
  EXPECT_EQ(index_text(text).vis_before.back(), visible_length(text));  // independent count
}

// Symbols go only at grapheme-cluster ends after visible characters, so rendering, wrapping,
// selection and normalization of the text are unchanged.
TEST(Fingerprint, SymbolsNeverFollowWhitespaceNorSplitClusters) {
  const auto key = fixed_key(4);
  const std::string s0 = kSym[0], any = "\xEF\xB8";
  auto marked = [&](const std::string& t) {
    return strip_fingerprint(embed(t, 0, key)) == t ? embed(t, 0, key) : "";
  };
  auto count = [](const std::string& t) { return fingerprint_symbol_count(t); };
  // A symbol follows a combining mark, never sits between base and mark.
  std::string m = marked("e\u0301");
  EXPECT_EQ(m.substr(0, 3), "e\u0301");
  EXPECT_EQ(count(m), 1u);
  // CR LF stay adjacent; nothing after whitespace.
  m = marked("a \r\n\tb");
  EXPECT_EQ(strip_fingerprint(m.substr(0, 4)), "a");  // a + symbol first
  EXPECT_NE(m.find(" \r\n\t"), std::string::npos);
  // Emoji ZWJ sequence, skin tone, keycap and flag stay whole: one symbol, at the end.
  for (const std::string t : {"\U0001F468\u200D\U0001F469\u200D\U0001F467", "\U0001F44D\U0001F3FD",
                              "1\uFE0F\u20E3", "\U0001F1E8\U0001F1F3"}) {
    m = marked(t);
    EXPECT_EQ(count(m), 1u) << t;
    EXPECT_EQ(m.substr(0, t.size()), t);
  }
  // Two flags side by side: one symbol after each, none inside.
  m = marked("\U0001F1E8\U0001F1F3\U0001F1EB\U0001F1F7");
  EXPECT_EQ(m.substr(0, 8), "\U0001F1E8\U0001F1F3");
  EXPECT_EQ(count(m), 2u);
  // Devanagari conjunct (virama) and Hangul jamo L V T are not split.
  m = marked("\u0915\u094D\u0937");
  EXPECT_EQ(m.substr(0, 9), "\u0915\u094D\u0937");
  m = marked("\u1112\u1161\u11AB");
  EXPECT_EQ(m.substr(0, 9), "\u1112\u1161\u11AB");
  EXPECT_EQ(count(m), 1u);
  // Over the whole corpus: no symbol right after a whitespace byte.
  const std::string c = embed(corpus(), 1, key);
  for (std::size_t at = c.find(any); at != std::string::npos; at = c.find(any, at + 1)) {
    ASSERT_GT(at, 0u);
    EXPECT_FALSE(is_ws(c[at - 1])) << at;
  }
}

TEST(Fingerprint, InvalidUtf8IsRejected) {
  const auto key = fixed_key(5);
  for (const std::string bad : {"\x80", "abc\xC3", "\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80",
                                "\xF4\x90\x80\x80", "\xF8\x88\x80\x80\x80", "\xE4\xB8", "ok\xFF"}) {
    const auto r = embed_fingerprint(bad, 1, key);
    ASSERT_FALSE(r.ok()) << to_hex(to_bytes(bad));
    EXPECT_EQ(r.error().kind, ErrorKind::kInvalidArgument);
  }
  EXPECT_TRUE(embed_fingerprint("\U0010FFFF\uFFFD\u00A0", 1, key).ok());
}

TEST(Fingerprint, TextWithoutFingerprintDecodesToNothing) {
  const auto key = fixed_key(6);
  EXPECT_FALSE(decode_fingerprint("", key));
  EXPECT_FALSE(decode_fingerprint(corpus(), key));
  EXPECT_FALSE(decode_fingerprint(strip_fingerprint(embed(corpus(), 9, key)), key));
  Rng rng(11);
  for (int i = 0; i < 200; ++i) {  // random bytes, valid or not
    std::string junk(rng() % 3000, '\0');
    for (char& ch : junk) ch = static_cast<char>(rng());
    EXPECT_FALSE(decode_fingerprint(junk, key));
  }
}

TEST(Fingerprint, WrongKeyDecodesToNothing) {
  const auto key = fixed_key(7), other = fixed_key(8);
  Rng rng(12);
  for (std::uint64_t p = 0; p < 200; ++p) {
    const std::string marked = embed(corpus(300, p), p, key);
    EXPECT_EQ(decode_fingerprint(marked, key), p);
    EXPECT_FALSE(decode_fingerprint(marked, other));
    EXPECT_GT(fingerprint_symbol_count(marked), 0u);  // marked, just not under that key
  }
}

// Forged or garbled symbol streams must not authenticate (48-bit tag).
TEST(Fingerprint, RandomSymbolStreamsNeverDecode) {
  const auto key = fixed_key(9);
  Rng rng(13);
  for (int i = 0; i < 2000; ++i) {
    std::string s;
    const std::size_t n = 64 + rng() % 2000;
    for (std::size_t k = 0; k < n; ++k) s += "\u5B57" + kSym[rng() % 4];
    ASSERT_FALSE(decode_fingerprint(s, key)) << i;
  }
  // Real frames with the sync pattern kept but a few other symbols changed.
  const Indexed ix = index_text(embed(corpus(), 0x1234, key));
  std::size_t rejected = 0;
  for (int i = 0; i < 1000; ++i) {
    std::string ex = excerpt(ix, 66 + rng() % 20, rng);
    std::vector<std::size_t> at;
    for (std::size_t b = 0; b < ex.size(); ++b) {
      if (is_symbol_bytes(ex, b)) at.push_back(b);
    }
    for (std::size_t r = 1 + rng() % 3; r > 0; --r) {
      const std::size_t b = at[rng() % at.size()] + 2;
      ex[b] = static_cast<char>(0x84 + ((ex[b] - 0x84 + 1 + rng() % 3) & 3));
    }
    const auto got = decode_fingerprint(ex, key);
    if (got) {
      EXPECT_EQ(*got, 0x1234u);  // an untouched whole frame may remain
    } else {
      ++rejected;
    }
  }
  EXPECT_GT(rejected, 500u);
}

TEST(Fingerprint, RemarkingReplacesTheOldFingerprint) {
  const auto key = fixed_key(10);
  const std::string text = corpus(500);
  const std::string twice = embed(embed(text, 111, key), 222, key);
  EXPECT_EQ(strip_fingerprint(twice), text);
  const auto found = find_fingerprints(twice, key);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].payload, 222u);
}

TEST(Fingerprint, ExcerptsPastedFromTwoCopiesNameBoth) {
  const auto key = fixed_key(11);
  const std::string text = corpus(1000);
  const Indexed a = index_text(embed(text, 1001, key)), b = index_text(embed(text, 1002, key));
  Rng rng(14);
  for (int i = 0; i < 50; ++i) {
    // 300 and 200 characters: both copies are named, but which comes first is not fixed. Only
    // whole frames count, and where each part is cut decides how many it holds: the 300-symbol
    // part loses the frames cut at both of its ends (3 or 4 remain), the 200-symbol part at the
    // end of the text is completed from its last period (3 or 4). The API promises the order
    // "most frames first, ties first seen", not "longest part first", so check exactly that.
    const std::string mixed = excerpt(a, 300, rng) + "\n" + excerpt(b, 200, rng);
    const auto found = find_fingerprints(mixed, key);
    ASSERT_EQ(found.size(), 2u);
    EXPECT_EQ((std::set<std::uint64_t>{found[0].payload, found[1].payload}),
              (std::set<std::uint64_t>{1001, 1002}));
    EXPECT_GE(found[0].frames, 3u);
    EXPECT_GE(found[1].frames, 3u);
    EXPECT_GE(found[0].frames, found[1].frames);
    if (found[0].frames == found[1].frames) {
      EXPECT_EQ(found[0].payload, 1001u);  // first seen
    }
    EXPECT_EQ(decode_fingerprint(mixed, key), found[0].payload);
  }
  for (int i = 0; i < 50; ++i) {
    // With one part much longer (at least 8 whole frames against at most 3), it comes first.
    const bool a_first = i % 2 == 0;
    const std::string longer = excerpt(a, 600, rng), shorter = excerpt(b, 150, rng);
    const std::string mixed = a_first ? longer + "\n" + shorter : shorter + "\n" + longer;
    const auto found = find_fingerprints(mixed, key);
    ASSERT_EQ(found.size(), 2u);
    EXPECT_EQ(found[0].payload, 1001u);
    EXPECT_GE(found[0].frames, 8u);
    EXPECT_EQ(found[1].payload, 1002u);
    EXPECT_EQ(decode_fingerprint(mixed, key), 1001u);
  }
}

TEST(Fingerprint, SurvivesDeletedAndInsertedCharacters) {
  const auto key = fixed_key(12);
  const Indexed ix = index_text(embed(corpus(), 31337, key));
  Rng rng(15);
  for (int i = 0; i < 200; ++i) {
    std::string ex = excerpt(ix, 600, rng);
    for (int d = 0; d < 3; ++d) {  // delete a whole character with its symbol, like an editor
      std::size_t at = rng() % ex.size();
      while (at > 0 && !starts_cp(ex[at])) --at;
      std::size_t end = at + 1;
      while (end < ex.size() && (!starts_cp(ex[end]) || is_symbol_bytes(ex, end))) ++end;
      ex.erase(at, end - at);
    }
    ex.insert(rng() % ex.size(), "（注：已核对）");  // typed text carries no symbols
    EXPECT_EQ(decode_fingerprint(ex, key), 31337u);
  }
}

TEST(Fingerprint, DecoderIgnoresMalformedBytesAroundSymbols) {
  const auto key = fixed_key(13);
  std::string marked = embed(corpus(200), 4242, key);
  marked = replace_all(marked, "\n", "\xFF\xC3\n");
  EXPECT_EQ(decode_fingerprint(marked, key), 4242u);
  EXPECT_GT(visible_length(marked), 200u);
}

TEST(Fingerprint, VisibleLengthCountsWhatReadersSee) {
  EXPECT_EQ(visible_length(""), 0u);
  EXPECT_EQ(visible_length(" \t\r\n\u3000\u00A0"), 0u);
  EXPECT_EQ(visible_length("ab 中文，"), 5u);
  EXPECT_EQ(visible_length("e\u0301\u200B\u00AD"), 1u);  // mark, zero-width space, soft hyphen
  EXPECT_EQ(visible_length("a" + kSym[2] + "b" + kSym[3]), 2u);
}

TEST(Fingerprint, SyncPatternNeverOverlapsItself) {
  const auto& sync = detail::kSync;
  for (std::size_t shift = 1; shift < sync.size(); ++shift) {
    EXPECT_FALSE(
        std::equal(sync.begin() + static_cast<std::ptrdiff_t>(shift), sync.end(), sync.begin()))
        << shift;
  }
  EXPECT_EQ(detail::kSyncLen + detail::kPayloadLen * 2 / 2 + detail::kTagLen, detail::kFrameLen);
}

// 4 MB round trip. Rates are printed for information only: performance is measured by
// bench/micro_fingerprint.cc (docs/benchmarks.md), never asserted in tests.
TEST(Fingerprint, FourMegabytesRoundTrip) {
  const auto key = fixed_key(14);
  std::string big;
  const std::string chunk = corpus();
  while (big.size() < (4u << 20)) big += chunk;
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  const std::string marked = embed(big, 99, key);
  const auto t1 = Clock::now();
  const auto found = find_fingerprints(marked, key);
  const auto t2 = Clock::now();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].payload, 99u);
  const double mb = static_cast<double>(big.size()) / 1e6;
  const double embed_rate = mb / std::chrono::duration<double>(t1 - t0).count();
  const double decode_rate =
      static_cast<double>(marked.size()) / 1e6 / std::chrono::duration<double>(t2 - t1).count();
  std::printf("embed %.1f MB/s (input), decode %.1f MB/s (marked input)\n", embed_rate,
              decode_rate);
}

}  // namespace
}  // namespace baomi::marking
