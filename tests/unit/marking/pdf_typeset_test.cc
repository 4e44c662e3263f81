// Typeset prints (S5, S7): every page of a typeset text carries the marking with its term, the
// holder, the serial, the issue time and page i/n in both header and footer; the body text
// survives wrapping and paging intact; bad input is refused as a value.
#include "marking/pdf_typeset.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "marking/pdf_cairo.h"
#include "pdf_test_util.h"

namespace baomi::marking {
namespace {

using testing::count_of;
using testing::sample_marks;
using testing::strip_ws;
using testing::TempPdf;

// Mixed Chinese/ASCII paragraphs, each tagged so any page can be traced to its paragraphs.
std::string long_text(int paragraphs) {
  std::string text;
  for (int i = 0; i < paragraphs; ++i) {
    char tag[32];
    std::snprintf(tag, sizeof tag, "〔段%04d〕", i);
    text += tag;
    text += "保密工作事关国家安全和利益，涉密载体的复制、打印和摘抄须经审批并登记编号。";
    text +=
        "Each copy carries serial numbers and marks (rule S5, S7); lines wrap at word "
        "boundaries where possible. ";
    text += "密级标志应当清晰完整，持有人对所持载体负责。";
    text += (i % 7 == 0) ? "\n\n" : "\n";
  }
  return text;
}

// Removes every occurrence of `what` from `s`.
void erase_all(std::string& s, const std::string& what) {
  for (std::size_t pos = s.find(what); pos != std::string::npos; pos = s.find(what, pos)) {
    s.erase(pos, what.size());
  }
}

TEST(PdfTypeset, TwentyPagesEachCarryAllMarksInHeaderAndFooter_S5) {
  const ArtifactMarks marks = sample_marks();
  const std::string text = long_text(420);
  const auto start = std::chrono::steady_clock::now();
  auto pdf = typeset_text_pdf(text, marks);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(pdf.ok()) << pdf.error().message;
  TempPdf file(*pdf);
  const int pages = file.pages();
  ASSERT_GE(pages, 20);
  std::printf("[ timing ] typeset %d A4 pages (%zu bytes of text) into %zu bytes in %.1f ms\n",
              pages, text.size(), pdf->size(),
              std::chrono::duration<double, std::milli>(elapsed).count());

  std::string body;  // every page's text with the marks taken out, in page order
  for (int i = 1; i <= pages; ++i) {
    std::string page = strip_ws(file.text(i));
    SCOPED_TRACE("page " + std::to_string(i));
    // Header and footer: each mark at least twice on every page (the watermark is excluded).
    EXPECT_GE(count_of(page, "秘密★2030-12-31"), 2u);
    EXPECT_GE(count_of(page, "张三"), 2u);
    EXPECT_GE(count_of(page, "u-00042"), 2u);
    EXPECT_GE(count_of(page, marks.serial), 2u);
    EXPECT_GE(count_of(page, marks.issued_at), 2u);
    const std::string page_no = "第" + std::to_string(i) + "/" + std::to_string(pages) + "页";
    EXPECT_EQ(count_of(page, page_no), 2u);
    EXPECT_NE(page.find("〔段"), std::string::npos) << "no body text on this page";
    erase_all(page, strip_ws(detail_line(marks, i, pages)));
    erase_all(page, marks.marking);
    erase_all(page, marks.document_title);
    body += page;
  }
  // Nothing lost, duplicated or reordered across wrapping and page breaks.
  EXPECT_EQ(body, strip_ws(text));
}

TEST(PdfTypeset, WatermarkCarriesMarkingHolderAndSerial_S5) {
  auto pdf = typeset_text_pdf("短文。", sample_marks());
  ASSERT_TRUE(pdf.ok());
  TempPdf file(*pdf);
  const std::string with = strip_ws(file.text(1, true));
  const std::string without = strip_ws(file.text(1, false));
  // The diagonal text is only seen when diagonal text is kept: it is the watermark.
  EXPECT_EQ(count_of(with, "BM-2025-000123-7"), count_of(without, "BM-2025-000123-7") + 1);
  EXPECT_EQ(count_of(with, "张三"), count_of(without, "张三") + 1);
  EXPECT_EQ(count_of(with, "秘密★2030-12-31"), count_of(without, "秘密★2030-12-31") + 1);
}

TEST(PdfTypeset, EmptyTextStillGivesOneMarkedPage_S5) {
  auto pdf = typeset_text_pdf("", sample_marks());
  ASSERT_TRUE(pdf.ok());
  TempPdf file(*pdf);
  ASSERT_EQ(file.pages(), 1);
  EXPECT_NE(strip_ws(file.text(1)).find("第1/1页"), std::string::npos);
  EXPECT_EQ(file.page_size(1), "595.276 x 841.89");  // A4
}

TEST(PdfTypeset, TrailingBlankLinesOpenNoEmptyPage) {
  auto pdf = typeset_text_pdf("正文" + std::string(500, '\n'), sample_marks());
  ASSERT_TRUE(pdf.ok());
  TempPdf file(*pdf);
  EXPECT_EQ(file.pages(), 1);
}

TEST(PdfTypeset, SameInputGivesSameBytes) {
  const std::string text = long_text(30);
  auto a = typeset_text_pdf(text, sample_marks());
  auto b = typeset_text_pdf(text, sample_marks());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
  ArtifactMarks other = sample_marks();
  other.serial = "BM-2025-000124-5";
  auto c = typeset_text_pdf(text, other);
  ASSERT_TRUE(c.ok());
  EXPECT_NE(*a, *c);
}

TEST(PdfTypeset, ConcurrentCallsAgreeWithASingleCall) {
  const std::string text = long_text(40);
  auto expected = typeset_text_pdf(text, sample_marks());
  ASSERT_TRUE(expected.ok());
  std::vector<Bytes> results(4);
  std::vector<std::thread> threads;
  for (auto& r : results) {
    threads.emplace_back([&r, &text] { r = typeset_text_pdf(text, sample_marks()).value(); });
  }
  for (auto& t : threads) t.join();
  for (const auto& r : results) EXPECT_EQ(r, *expected);
}

TEST(PdfTypeset, UnbrokenRunsAndCrlfAreWrappedWithoutLoss) {
  const ArtifactMarks marks = sample_marks();
  std::string text(20000, 'A');
  text += "\r\n";
  for (int i = 0; i < 3000; ++i) text += "密";
  auto pdf = typeset_text_pdf(text, marks);
  ASSERT_TRUE(pdf.ok());
  TempPdf file(*pdf);
  const int pages = file.pages();
  ASSERT_GT(pages, 1);
  std::string all;
  for (int i = 1; i <= pages; ++i) all += strip_ws(file.text(i));
  EXPECT_EQ(count_of(all, "A"), 20000u);
  // The body, plus the 密 of the marks on every page: the marking (秘密) in header and footer,
  // and the title in the header, which has one too (涉密) in the sample marks.
  const std::size_t per_page = 2 * count_of(marks.marking, "密") +
                               count_of(marks.document_title, "密") +
                               2 * count_of(detail_line(marks, 1, pages), "密");
  EXPECT_EQ(per_page, 3u);
  EXPECT_EQ(count_of(all, "密"), 3000u + per_page * pages);
}

// What pdftotext cannot show (cairo tags a hyphen Pango adds at a break as text it replaces):
// the print draws no glyph that is not in the text, and font sizes are in PDF points.
TEST(PdfTypeset, LayoutsDrawOnlyTheTextAtPointSizes) {
  Bytes sink;
  pdf::MemoryPdf doc(sink, pdf::kA4Width, pdf::kA4Height, sample_marks());
  pdf::LayoutPtr word = pdf::make_layout(doc.cr(), "Noto Serif CJK SC 11", std::string(500, 'A'));
  pango_layout_set_width(word.get(), 200 * PANGO_SCALE);
  pango_layout_set_wrap(word.get(), PANGO_WRAP_WORD_CHAR);
  ASSERT_GT(pango_layout_get_line_count(word.get()), 5);
  int glyphs = 0;
  for (GSList* l = pango_layout_get_lines_readonly(word.get()); l != nullptr; l = l->next) {
    for (GSList* r = static_cast<PangoLayoutLine*>(l->data)->runs; r != nullptr; r = r->next) {
      glyphs += static_cast<PangoGlyphItem*>(r->data)->glyphs->num_glyphs;
    }
  }
  EXPECT_EQ(glyphs, 500);  // no hyphen glyph at the end of the broken lines
  // A CJK ideograph is one em wide: 10 units (points) at 10 pt, not 13.3 (10 pt at 96 dpi).
  pdf::LayoutPtr ideograph = pdf::make_layout(doc.cr(), "Noto Sans CJK SC 10", "密");
  int width = 0, height = 0;
  pango_layout_get_size(ideograph.get(), &width, &height);
  EXPECT_NEAR(static_cast<double>(width) / PANGO_SCALE, 10.0, 0.01);
  EXPECT_TRUE(doc.finish().ok());
}

TEST(PdfTypeset, RefusesTextThatIsNotUtf8) {
  auto bad = typeset_text_pdf("abc\xff\xfe", sample_marks());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "invalid_text");
  auto nul = typeset_text_pdf(std::string_view("ab\0cd", 5), sample_marks());
  ASSERT_FALSE(nul.ok());
  EXPECT_EQ(nul.error().code, "invalid_text");
}

TEST(PdfTypeset, RefusesTooLargeText) {
  const std::string text(kMaxTypesetBytes + 1, 'a');
  auto r = typeset_text_pdf(text, sample_marks());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kTooLarge);
}

TEST(PdfTypeset, RefusesIncompleteOrUnsafeMarks_S5) {
  const auto refuse = [](auto mutate) {
    ArtifactMarks m = sample_marks();
    mutate(m);
    auto r = typeset_text_pdf("正文", m);
    return !r.ok() && r.error().code == "artifact_marks";
  };
  EXPECT_TRUE(refuse([](ArtifactMarks& m) { m.marking.clear(); }));
  EXPECT_TRUE(refuse([](ArtifactMarks& m) { m.serial.clear(); }));
  EXPECT_TRUE(refuse([](ArtifactMarks& m) { m.holder_name.clear(); }));
  EXPECT_TRUE(refuse([](ArtifactMarks& m) { m.holder_id.clear(); }));
  EXPECT_TRUE(refuse([](ArtifactMarks& m) { m.issued_at = "yesterday"; }));
  EXPECT_TRUE(refuse([](ArtifactMarks& m) { m.holder_name = "张三\n李四"; }));
  EXPECT_TRUE(refuse([](ArtifactMarks& m) { m.holder_name = "张\u202e三"; }));  // bidi override
  // Line and paragraph separators break lines in Pango just as LF does.
  EXPECT_TRUE(refuse([](ArtifactMarks& m) { m.holder_name = "张三\u2028李四"; }));
  EXPECT_TRUE(refuse([](ArtifactMarks& m) { m.marking = "秘密\u2029★2030-12-31"; }));
  // A mark of white space only would print as no mark at all.
  EXPECT_TRUE(refuse([](ArtifactMarks& m) { m.marking = " \u3000 "; }));
  EXPECT_TRUE(refuse([](ArtifactMarks& m) { m.holder_name = "\u00a0"; }));
  EXPECT_TRUE(refuse([](ArtifactMarks& m) { m.serial = "\xc3\x28"; }));
  EXPECT_TRUE(refuse([](ArtifactMarks& m) { m.document_title = std::string(300, 'x'); }));
  EXPECT_FALSE(refuse([](ArtifactMarks& m) { m.document_title.clear(); }));
}

}  // namespace
}  // namespace baomi::marking
