// The decoders a leak investigation runs on a leaked artifact (S10): serials written in text
// (find_serials: Damm-checked, standing alone), fingerprints located in a paste from several
// copies (locate_fingerprints: each payload with its byte range), and the text layer of a PDF
// page by page (pdf_page_texts).
#include <gtest/gtest.h>

#include "crypto/secret_key.h"
#include "marking/fingerprint.h"
#include "marking/pdf_text.h"
#include "marking/serial.h"
#include "pdf_test_util.h"

namespace baomi::marking {
namespace {

crypto::SecretKey key_of(std::uint8_t fill) {
  return std::move(crypto::SecretKey::from_bytes(Bytes(32, fill))).value();
}

std::string chinese(std::size_t chars, std::size_t seed) {
  static const char* kWords[] = {"客户", "服务", "投诉", "处理", "交接", "确认", "保密",
                                 "文件", "季度", "工单", "电话", "售后", "备件", "流程"};
  std::string out;
  for (std::size_t i = 0; out.size() < chars * 3; ++i) {
    out += kWords[(i * 7 + seed) % 14];
    if (i % 9 == 8) out += "，";
  }
  return out;
}

TEST(FindSerials, FindsEveryWellFormedSerialWithItsPlace_S10) {
  const auto a = format_serial(572);
  const auto b = format_serial(1234567);
  const std::string text = "编号 " + a + "，另见(" + b + ")。";
  const auto found = find_serials(text);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].number, 572u);
  EXPECT_EQ(text.substr(found[0].offset, found[0].length), a);
  EXPECT_EQ(found[1].number, 1234567u);
  EXPECT_EQ(text.substr(found[1].offset, found[1].length), b);
}

TEST(FindSerials, RejectsWrongCheckDigitsAndSerialsThatDoNotStandAlone_S10) {
  const auto good = format_serial(572);  // BM-000572-?
  std::string wrong = good;
  wrong.back() = wrong.back() == '9' ? '0' : static_cast<char>(wrong.back() + 1);
  EXPECT_TRUE(find_serials("编号 " + wrong).empty()) << wrong;
  EXPECT_TRUE(find_serials("X" + good).empty()) << "glued to a word";
  EXPECT_TRUE(find_serials(good + "7").empty()) << "followed by another digit";
  EXPECT_TRUE(find_serials("BM-12-3 BM- BM-abc").empty());
  EXPECT_EQ(find_serials(good + "#12").size(), 1u) << "an export row tag";
  EXPECT_EQ(find_serials("bm" + good.substr(2)).size(), 1u) << "lower-case prefix";
  // Random digits after the prefix match only when the check digit happens to verify: one in
  // ten at most, never a systematic false match.
  int matched = 0;
  for (int n = 100000; n < 101000; ++n) {
    matched +=
        find_serials("BM-" + std::to_string(n) + "-" + std::to_string(n % 10)).empty() ? 0 : 1;
  }
  EXPECT_LT(matched, 200);
}

TEST(LocateFingerprints, APasteFromTwoCopiesNamesBothInOrder_S10) {
  const auto key = key_of(7);
  const auto first = embed_fingerprint(chinese(220, 1), 1001, key).value();
  const auto second = embed_fingerprint(chinese(220, 5), 2002, key).value();
  const std::string paste = first + "\n——\n" + second;
  auto found = locate_fingerprints(paste, key);
  ASSERT_EQ(found.size(), 2u);
  std::sort(found.begin(), found.end(), [](auto& a, auto& b) { return a.from < b.from; });
  EXPECT_EQ(found[0].payload, 1001u);
  EXPECT_EQ(found[1].payload, 2002u);
  EXPECT_LT(found[0].from, found[0].to);
  EXPECT_LE(found[0].to, first.size());
  EXPECT_GE(found[1].from, first.size());
  EXPECT_LE(found[1].to, paste.size());
  // Same payloads and counts as find_fingerprints.
  const auto plain = find_fingerprints(paste, key);
  ASSERT_EQ(plain.size(), 2u);
  EXPECT_EQ(plain[0].frames + plain[1].frames, found[0].frames + found[1].frames);
  // Another key sees nothing.
  EXPECT_TRUE(locate_fingerprints(paste, key_of(8)).empty());
}

TEST(LocateFingerprints, TextWithoutFramesYieldsNothing_S10) {
  EXPECT_TRUE(locate_fingerprints("", key_of(1)).empty());
  EXPECT_TRUE(locate_fingerprints(chinese(500, 2), key_of(1)).empty());
}

TEST(PdfPageTexts, ReadsEveryPageAndRefusesGarbage_S10) {
  const auto pdf = testing::make_source_pdf(
      {{595, 842, "第一页 " + format_serial(572)}, {595, 842, "second page BM-000001-x"}});
  auto pages = pdf_page_texts(pdf);
  ASSERT_TRUE(pages.ok()) << pages.error().message;
  ASSERT_EQ(pages->size(), 2u);
  EXPECT_EQ(find_serials((*pages)[0]).size(), 1u) << (*pages)[0];
  EXPECT_NE((*pages)[1].find("second page"), std::string::npos);
  const std::string junk = "%PDF-1.7\nnot really";
  auto bad = pdf_page_texts(
      crypto::BytesView(reinterpret_cast<const std::uint8_t*>(junk.data()), junk.size()));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "invalid_pdf");
}

}  // namespace
}  // namespace baomi::marking
