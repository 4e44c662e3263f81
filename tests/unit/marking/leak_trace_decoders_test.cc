// The decoders a leak investigation runs on a leaked artifact (S10): serials written in text
// (find_serials: Damm-checked, standing alone), fingerprints located in a paste from several
// copies (locate_fingerprints: each payload with its byte range), and the text layer of a PDF
// page by page (pdf_page_texts).
#define POINTERHOLDER_TRANSITION 4
#include <gtest/gtest.h>

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include "crypto/secret_key.h"
#include "marking/fingerprint.h"
#include "marking/pdf_hidden_mark.h"
#include "marking/pdf_text.h"
#include "marking/serial.h"
#include "pdf_test_util.h"

namespace baomi::marking {
namespace {

crypto::MacKey key_of(std::uint8_t fill) {
  return crypto::MacKey(std::move(crypto::SecretKey::from_bytes(Bytes(32, fill))).value());
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

// Keeps only the top `fraction` of every page visible (a crop box), as a holder would cut the
// marks off the bottom of a leaked PDF.
Bytes crop_to_top(const Bytes& pdf, double fraction) {
  QPDF q;
  q.processMemoryFile("leak", reinterpret_cast<const char*>(pdf.data()), pdf.size());
  for (auto& page : QPDFPageDocumentHelper(q).getAllPages()) {
    const auto box = page.getMediaBox().getArrayAsRectangle();
    const double top = box.ury, bottom = box.ury - (box.ury - box.lly) * fraction;
    page.getObjectHandle().replaceKey(
        "/CropBox", QPDFObjectHandle::newFromRectangle({box.llx, bottom, box.urx, top}));
  }
  QPDFWriter w(q);
  w.setOutputMemory();
  w.write();
  auto buffer = w.getBufferSharedPointer();
  return Bytes(buffer->getBuffer(), buffer->getBuffer() + buffer->getSize());
}

TEST(HiddenMark, EveryPageCarriesTheTokenAndOnlyTheKeyReadsIt_S10) {
  const auto key = key_of(3);
  const auto pdf = testing::make_source_pdf({{595, 842, "第一页"}, {595, 842, "第二页"}});
  auto marked = add_hidden_mark(pdf, 572, key);
  ASSERT_TRUE(marked.ok()) << marked.error().message;
  auto pages = pdf_page_texts(*marked);
  ASSERT_TRUE(pages.ok());
  ASSERT_EQ(pages->size(), 2u);
  for (const auto& text : *pages) {
    EXPECT_NE(text.find(pdf_mark_token(572, key)), std::string::npos) << text;
    EXPECT_EQ(find_pdf_marks(text, key), std::vector<std::uint64_t>{572});
    EXPECT_TRUE(find_pdf_marks(text, key_of(4)).empty()) << "another key reads nothing";
    EXPECT_TRUE(find_serials(text).empty()) << "the serial is not written in clear";
  }
  // Deterministic: the same copy renders to the same bytes.
  EXPECT_EQ(*marked, *add_hidden_mark(pdf, 572, key));
  // A forged token (tag of another payload) is not accepted.
  std::string forged = pdf_mark_token(573, key);
  forged.replace(4, 16, pdf_mark_token(572, key).substr(4, 16));
  EXPECT_TRUE(find_pdf_marks(forged, key).empty());
}

TEST(HiddenMark, SurvivesTheVisibleSerialBeingCutOff_S10) {
  const auto key = key_of(3);
  // The visible serial is drawn half-way down the page, like a mark outside the kept part.
  const auto pdf = testing::make_source_pdf({{595, 842, "编号 " + format_serial(572)}});
  auto marked = add_hidden_mark(pdf, 572, key);
  ASSERT_TRUE(marked.ok());
  const auto cut = crop_to_top(*marked, 0.4);
  auto pages = pdf_page_texts(cut);
  ASSERT_TRUE(pages.ok());
  ASSERT_EQ(pages->size(), 1u);
  EXPECT_TRUE(find_serials((*pages)[0]).empty()) << "the visible serial is gone: " << (*pages)[0];
  EXPECT_EQ(find_pdf_marks((*pages)[0], key), std::vector<std::uint64_t>{572});
}

}  // namespace
}  // namespace baomi::marking
