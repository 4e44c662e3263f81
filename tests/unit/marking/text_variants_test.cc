// The visible channel of text copies (S10): a copy's serial survives its invisible fingerprint
// being stripped, decoded straight from the leaked text, and unmarked text never matches.
#include "marking/text_variants.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "crypto/secret_key.h"
#include "marking/fingerprint.h"
#include "marking/text_variants_units.h"

namespace baomi::marking {
namespace {

using Rng = std::mt19937_64;

crypto::MacKey variants_key_of(std::uint64_t seed) {
  Rng rng(seed);
  Bytes b(32);
  for (auto& x : b) x = static_cast<std::uint8_t>(rng());
  return crypto::MacKey(std::move(crypto::SecretKey::from_bytes(b)).value());
}

// Ordinary Chinese prose of the centre's kind, as a typist writes it (full-width punctuation,
// half-width digits), clauses drawn at random so that no two documents repeat.
std::string prose(std::size_t sentences, std::uint64_t seed) {
  static const char* kWho[] = {"客服专员", "保密专人", "部门负责人", "前台人员",
                               "值班主管", "涉密人员", "借阅人",     "组长",
                               "经理",     "审计员",   "持有人",     "承办人"};
  static const char* kDoes[] = {"应当及时登记",   "不得擅自复制", "须经批准后查阅",
                                "负责妥善保管",   "应当当面交接", "可以申请延期",
                                "必须立即报告",   "应当核实身份", "不得带出办公区",
                                "须在台账上签字", "应当逐页清点", "负责按期归还"};
  static const char* kWhat[] = {"涉密文件", "客户资料", "会议纪要",   "交接记录",
                                "复印件",   "打印件",   "借阅登记表", "合同文本",
                                "服务记录", "快递文件", "招标材料",   "财务报表"};
  static const char* kWhen[] = {"每月", "每周", "离岗前",     "收到后",
                                "当天", "会后", "发现问题时", "检查时"};
  static const char* kJoin[] = {"，", "，", "，", "；", "："};
  static const char* kEnd[] = {"。", "。", "。", "！", "？"};
  Rng rng(seed);
  auto pick = [&rng](const auto& list) { return std::string(list[rng() % std::size(list)]); };
  std::string out;
  for (std::size_t i = 0; i < sentences; ++i) {
    const int clauses = 1 + static_cast<int>(rng() % 3);
    for (int c = 0; c < clauses; ++c) {
      if (c > 0) out += pick(kJoin);
      if (rng() % 3 == 0) out += pick(kWhen) + "，";
      out += pick(kWho) + pick(kDoes) + pick(kWhat);
      if (rng() % 5 == 0) out += "（第" + std::to_string(1 + rng() % 40) + "条）";
      if (rng() % 6 == 0) out += "，共" + std::to_string(2 + rng() % 300) + "份";
    }
    out += pick(kEnd);
    if (rng() % 4 == 0) out += "\n";
  }
  return out;
}

const TextVariantClasses kDefault{true, true, false, false, false};
const TextVariantClasses kAll{true, true, true, true, true};

std::string embed_variants(std::string_view text, std::uint64_t serial, const crypto::MacKey& key,
                           TextVariantClasses classes = kDefault) {
  auto r = embed_text_variants(text, serial, key, classes);
  EXPECT_TRUE(r.ok());
  return r.ok() ? *r : std::string();
}

// Byte offset just after `n` visible characters from `from`.
std::size_t after_visible(std::string_view text, std::size_t from, std::size_t n) {
  std::size_t i = from;
  while (i < text.size() && n > 0) {
    std::size_t len = 1;
    while (i + len < text.size() && (static_cast<unsigned char>(text[i + len]) & 0xC0) == 0x80) {
      ++len;
    }
    n -= visible_length(text.substr(i, len)) > 0 ? 1 : 0;
    i += len;
  }
  return i;
}

std::vector<std::uint64_t> serials_in(std::string_view text, const crypto::MacKey& key,
                                      std::uint64_t max_serial) {
  std::vector<std::uint64_t> out;
  for (const auto& m : find_text_variants(text, key, max_serial)) out.push_back(m.serial);
  return out;
}

TEST(TextVariants, KeepsTheWordsAndChangesOnlyEquivalentForms) {
  const auto key = variants_key_of(1);
  const std::string text = prose(40, 1);
  const std::string marked = embed_variants(text, 1234, key);
  ASSERT_NE(marked, text);  // some forms were chosen differently
  // Folding every variant back gives the source: only equivalent forms changed.
  auto fold = [](std::string s) {
    const std::pair<std::string, std::string> pairs[] = {
        {"，", ","}, {"：", ":"}, {"；", ";"}, {"！", "!"}, {"？", "?"}, {"（", "("},
        {"）", ")"}, {"０", "0"}, {"１", "1"}, {"２", "2"}, {"３", "3"}, {"４", "4"},
        {"５", "5"}, {"６", "6"}, {"７", "7"}, {"８", "8"}, {"９", "9"}};
    for (const auto& [wide, narrow] : pairs) {
      for (auto at = s.find(wide); at != std::string::npos; at = s.find(wide, at)) {
        s.replace(at, wide.size(), narrow);
      }
    }
    return s;
  };
  EXPECT_EQ(fold(marked), fold(text));
  EXPECT_EQ(visible_length(marked), visible_length(text));
  // Deterministic: the same copy renders the same bytes.
  EXPECT_EQ(embed_variants(text, 1234, key), marked);
}

TEST(TextVariants, NeverTouchesNumbersTokensOrUrls) {
  const auto key = variants_key_of(2);
  const std::string text =
      "金额为1,000.50元，时间10:30；见https://example.com/a,b?x=1（附件A4）和BM-000572-4。"
      "版本v1.2(b)不变；code: f(x, y);";
  for (std::uint64_t serial = 1; serial < 64; ++serial) {
    const std::string marked = embed_variants(text, serial, key, kAll);
    for (const char* kept : {"1,000.50", "10:30", "https://example.com/a,b?x=1", "A4",
                             "BM-000572-4", "v1.2(b)", "code: f(x, y);"}) {
      EXPECT_NE(marked.find(kept), std::string::npos) << kept << " in " << marked;
    }
  }
}

TEST(TextVariants, RoundTripsAndNamesTheCopy_S10) {
  for (std::uint64_t serial : {1ull, 2ull, 777ull, 9999ull, 10000ull}) {
    const auto key = variants_key_of(serial);
    const std::string marked = embed_variants(prose(60, serial), serial, key);
    EXPECT_EQ(serials_in(marked, key, 10000), std::vector<std::uint64_t>{serial});
    // Another key, or a serial above the highest issued, reads nothing.
    EXPECT_TRUE(find_text_variants(marked, variants_key_of(serial + 100), 10000).empty());
  }
}

TEST(TextVariants, SurvivesStrippedInvisibleSymbolsInExcerptsOfOrdinaryProse_S10) {
  // Both channels as a text copy carries them; the invisible one then stripped.
  constexpr std::uint64_t kIssued = 10000;
  constexpr std::size_t kExcerpt = 1200;  // visible characters (docs/fingerprint.md)
  int decoded = 0, trials = 0;
  for (std::uint64_t t = 0; t < 60; ++t) {
    const auto key = variants_key_of(100 + t);
    const std::uint64_t serial = 1 + (t * 7919) % kIssued;
    const std::string varied = embed_variants(prose(120, t), serial, key);
    const std::string marked = *embed_fingerprint(varied, serial, key);
    const std::string stripped = strip_fingerprint(marked);
    ASSERT_EQ(fingerprint_symbol_count(stripped), 0u);
    const std::size_t from = after_visible(stripped, 0, (t * 37) % 400);
    const std::string excerpt =
        stripped.substr(from, after_visible(stripped, from, kExcerpt) - from);
    // As the tracer decodes: only the class set copies were issued with.
    std::vector<std::uint64_t> found;
    for (const auto& m :
         find_text_variants(excerpt, key, kIssued, text_variant_set_bit(kDefault))) {
      found.push_back(m.serial);
    }
    ++trials;
    if (found == std::vector<std::uint64_t>{serial}) ++decoded;
    for (auto s : found) EXPECT_EQ(s, serial) << "wrong copy named";
  }
  EXPECT_EQ(decoded, trials);
}

TEST(TextVariants, TooShortATruncatedExcerptNamesNobodyRatherThanTheWrongCopy) {
  const auto key = variants_key_of(3);
  const std::string marked = embed_variants(prose(120, 3), 4321, key);
  for (std::size_t n : {20u, 60u, 120u, 200u}) {
    const std::string cut = marked.substr(0, after_visible(marked, 0, n));
    for (auto s : serials_in(cut, key, 10000)) EXPECT_EQ(s, 4321u);
  }
  EXPECT_TRUE(
      find_text_variants(marked.substr(0, after_visible(marked, 0, 30)), key, 10000).empty());
}

TEST(TextVariants, MixedPasteNamesEachCopyWithItsPlace_S10) {
  const auto key = variants_key_of(4);
  const std::string a = embed_variants(prose(200, 41), 17, key);
  const std::string b = embed_variants(prose(200, 42), 9000, key);
  const std::string paste = a + "\n" + b;
  const auto found = find_text_variants(paste, key, 10000);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].serial, 17u);
  EXPECT_EQ(found[1].serial, 9000u);
  EXPECT_LT(found[0].from, a.size());
  EXPECT_GE(found[1].to, a.size());
  // The seam is found to within a few units: past it, each unit agrees by chance with p = 1/2.
  EXPECT_LE(found[0].to, a.size() + 400);
  EXPECT_GE(found[1].from, found[0].to);
}

TEST(TextVariants, OnlyTheClassesACopyVariesAreRead) {
  const auto key = variants_key_of(5);
  // A copy that varies punctuation only: its digit runs are as typed, and still decode.
  const std::string marked =
      embed_variants(prose(150, 5), 300, key, TextVariantClasses{true, false, false, false, false});
  const auto found = find_text_variants(marked, key, 10000);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].serial, 300u);
  EXPECT_TRUE(found[0].classes.punctuation);
  EXPECT_FALSE(found[0].classes.digits);
}

TEST(TextVariants, MalformedUtf8IsRefusedByTheEmbedderAndIgnoredByTheDecoder) {
  const auto key = variants_key_of(6);
  EXPECT_FALSE(embed_text_variants("abc\xFF", 1, key, kDefault).ok());
  EXPECT_TRUE(find_text_variants("\xFF\xFE，，，\xC0", key, 10000).empty());
  EXPECT_TRUE(find_text_variants("", key, 10000).empty());
  EXPECT_TRUE(find_text_variants(prose(100, 6), key, 0).empty());  // no copy issued yet
}

// The false-match rate on unmarked text: random prose, random keys, forms as typed or marked
// under another key. With the product threshold none is expected (below 2^-19 per text).
TEST(TextVariants, UnmarkedTextNeverMatches_FalsePositiveRateMeasured) {
  Rng rng(7);
  int matches = 0;
  constexpr int kTexts = 2000;
  for (int t = 0; t < kTexts; ++t) {
    const auto key = variants_key_of(1000 + static_cast<std::uint64_t>(t));
    std::string text = prose(20 + rng() % 80, rng());
    if (t % 2 == 1)
      text = embed_variants(text, rng(), variants_key_of(rng()), kAll);  // another server's marks
    matches += static_cast<int>(find_text_variants(text, key, 100000).size());
    matches += static_cast<int>(
        find_text_variants(text, key, 100000, text_variant_set_bit(kDefault)).size());
  }
  EXPECT_EQ(matches, 0) << "false matches in " << 2 * kTexts << " decodes of unmarked texts";
}

// The argument behind that threshold, checked where it can be seen: with 4 check bits instead of
// 20, a text without the code passes the first attempt with probability 2^-4 and the restarts
// together with about as much again, so the rate must be above 1/64 and, by the union bound,
// below 1/8.
TEST(TextVariants, FalseMatchRateFollowsTheCheckBits) {
  Rng rng(8);
  int texts_matched = 0;
  constexpr int kTexts = 1500;
  for (int t = 0; t < kTexts; ++t) {
    const auto key = variants_key_of(5000 + static_cast<std::uint64_t>(t));
    const std::string text =
        embed_variants(prose(60, rng()), 1 + rng() % 1000, variants_key_of(rng()));
    texts_matched +=
        detail::find_text_variants_checked(text, key, 1000, text_variant_set_bit(kDefault), 4)
                .empty()
            ? 0
            : 1;
  }
  const double rate = static_cast<double>(texts_matched) / kTexts;
  EXPECT_GT(rate, 1.0 / 64) << "the low threshold should let some random texts through";
  EXPECT_LT(rate, 1.0 / 8) << "more false matches than the union bound allows";
  std::printf("false-match rate at 4 check bits: %.4f (2^-4 = 0.0625)\n", rate);
}

}  // namespace
}  // namespace baomi::marking
