// Stamped prints (S5, S7): every page of an uploaded PDF keeps its content and gains the same
// header, footer and watermark as a typeset print, upright as the reader sees the page, and
// nothing in the source can hide, move or outlive them; what cannot be marked is refused.
#include "marking/pdf_stamp.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "pdf_stamp_util.h"

namespace baomi::marking {
namespace {

using testing::count_of;
using testing::edit_pdf;
using testing::expect_marks;
using testing::kA4H;
using testing::kA4W;
using testing::make_source_pdf;
using testing::pages_of;
using testing::sample_marks;
using testing::SourcePage;
using testing::strip_ws;
using testing::TempPdf;

TEST(PdfStamp, EveryPageKeepsItsContentAndGetsAllMarks_S5) {
  const std::vector<SourcePage> source = {{kA4W, kA4H, "源文件第一页"},
                                          {612, 792, "源文件第二页 Letter"},
                                          {kA4H, kA4W, "源文件第三页 横向"}};
  auto pdf = stamp_pdf(make_source_pdf(source), sample_marks());
  ASSERT_TRUE(pdf.ok()) << pdf.error().message;
  TempPdf file(*pdf);
  ASSERT_EQ(file.pages(), 3);
  EXPECT_EQ(file.page_size(1), "595.276 x 841.89");
  EXPECT_EQ(file.page_size(2), "612 x 792");
  EXPECT_EQ(file.page_size(3), "841.89 x 595.276");
  for (int i = 1; i <= 3; ++i) {
    SCOPED_TRACE("page " + std::to_string(i));
    const std::string text = file.text(i);
    EXPECT_NE(strip_ws(text).find(strip_ws(source[static_cast<std::size_t>(i - 1)].text)),
              std::string::npos);
    expect_marks(text, i, 3);
  }
  // The watermark is there too, as diagonal text.
  EXPECT_EQ(count_of(strip_ws(file.text(2, true)), sample_marks().serial),
            count_of(strip_ws(file.text(2, false)), sample_marks().serial) + 1);
}

// A source cannot cover the marks (it paints the page white after its text), nor leave a
// graphics state behind that moves them off the page: an unbalanced "q" after a "cm" would
// otherwise survive the q/Q wrapped around the source content.
TEST(PdfStamp, MarksStayVisibleOverAHostileSource_S5) {
  const Bytes covered = make_source_pdf({{kA4W, kA4H, "遮盖"}}, true);
  const Bytes moved = edit_pdf(make_source_pdf({{kA4W, kA4H, "移走"}}), [](QPDF& q) {
    for (auto& page : pages_of(q)) {
      page.addPageContents(q.newStream("1 0 0 1 5000 5000 cm q 0.01 0 0 0.01 0 0 cm q\n"), false);
    }
  });
  for (const Bytes* source : {&covered, &moved}) {
    auto pdf = stamp_pdf(*source, sample_marks());
    ASSERT_TRUE(pdf.ok()) << pdf.error().message;
    TempPdf file(*pdf);
    expect_marks(file.text(1), 1, 1);
    // And they are seen, not just extractable: dark pixels in the header band.
    int w = 0, h = 0;
    const std::vector<std::uint8_t> px = file.gray(1, 36, w, h);
    ASSERT_FALSE(px.empty());
    int dark = 0;
    for (int y = 0; y < h / 12; ++y) {
      for (int x = 0; x < w; ++x) dark += px[static_cast<std::size_t>(y * w + x)] < 160;
    }
    EXPECT_GT(dark, 20);
  }
}

// pdftotext -bbox gives word boxes as the reader sees the page: an upright header marking is
// wider than tall and sits at the top.
TEST(PdfStamp, RotatedPagesGetUprightMarks_S5) {
  for (int rotate : {90, 180, 270}) {
    SCOPED_TRACE("rotate " + std::to_string(rotate));
    const Bytes rotated = edit_pdf(make_source_pdf({{kA4W, kA4H, "旋转页"}}), [&](QPDF& q) {
      for (auto& page : pages_of(q)) page.rotatePage(rotate, false);
    });
    auto pdf = stamp_pdf(rotated, sample_marks());
    ASSERT_TRUE(pdf.ok()) << pdf.error().message;
    TempPdf file(*pdf);
    expect_marks(file.text(1), 1, 1);
    const std::string html =
        testing::run("pdftotext -bbox -nodiag '" + file.path() + "' - 2>/dev/null");
    const std::size_t at = html.find(">" + sample_marks().marking + "<");
    ASSERT_NE(at, std::string::npos);
    const std::size_t open = html.rfind("<word", at);
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    ASSERT_EQ(std::sscanf(html.c_str() + open,
                          "<word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" yMax=\"%lf\"", &x0, &y0,
                          &x1, &y1),
              4);
    EXPECT_GT(x1 - x0, 3 * (y1 - y0));
    EXPECT_LT(y1, 60.0);
  }
}

TEST(PdfStamp, ScriptsFormsAttachmentsAndOutlinesAreRemoved_S5) {
  const Bytes source = edit_pdf(make_source_pdf({{kA4W, kA4H, "附件"}}), [](QPDF& q) {
    QPDFObjectHandle root = q.getRoot();
    root.replaceKey("/OpenAction",
                    QPDFObjectHandle::parse("<< /S /JavaScript /JS (app.alert(1)) >>"));
    QPDFObjectHandle file = q.newStream("the unmarked original");
    file.getDict().replaceKey("/Type", QPDFObjectHandle::newName("/EmbeddedFile"));
    QPDFObjectHandle spec = q.makeIndirectObject(
        QPDFObjectHandle::parse("<< /Type /Filespec /F (secret.txt) /UF (secret.txt) >>"));
    spec.replaceKey("/EF", QPDFObjectHandle::parse("<< >>"));
    spec.getKey("/EF").replaceKey("/F", file);
    QPDFObjectHandle names = QPDFObjectHandle::parse(
        "<< /JavaScript << /Names [ (a) << /S /JavaScript /JS (app.alert(2)) >> ] >> >>");
    names.replaceKey("/EmbeddedFiles",
                     QPDFObjectHandle::parse("<< /Names [ (secret.txt) null ] >>"));
    names.getKey("/EmbeddedFiles").getKey("/Names").setArrayItem(1, spec);
    root.replaceKey("/Names", names);
    QPDFObjectHandle item = q.makeIndirectObject(
        QPDFObjectHandle::parse("<< /Title (x) /A << /S /JavaScript /JS (app.alert(3)) >> >>"));
    QPDFObjectHandle outlines =
        q.makeIndirectObject(QPDFObjectHandle::parse("<< /Type /Outlines /Count 1 >>"));
    outlines.replaceKey("/First", item);
    outlines.replaceKey("/Last", item);
    item.replaceKey("/Parent", outlines);
    root.replaceKey("/Outlines", outlines);
    for (auto& page : pages_of(q)) {
      page.getObjectHandle().replaceKey(
          "/AA", QPDFObjectHandle::parse("<< /O << /S /JavaScript /JS (app.alert(4)) >> >>"));
    }
  });
  auto pdf = stamp_pdf(source, sample_marks());
  ASSERT_TRUE(pdf.ok()) << pdf.error().message;
  QPDF out;
  out.processMemoryFile("out", reinterpret_cast<const char*>(pdf->data()), pdf->size());
  QPDFObjectHandle root = out.getRoot();
  EXPECT_FALSE(root.hasKey("/OpenAction"));
  EXPECT_FALSE(root.hasKey("/AcroForm"));
  EXPECT_FALSE(root.hasKey("/Outlines"));
  if (root.getKey("/Names").isDictionary()) {
    EXPECT_FALSE(root.getKey("/Names").hasKey("/JavaScript"));
    EXPECT_FALSE(root.getKey("/Names").hasKey("/EmbeddedFiles"));
  }
  for (auto& page : pages_of(out)) {
    EXPECT_FALSE(page.getObjectHandle().hasKey("/AA"));
    EXPECT_FALSE(page.getObjectHandle().hasKey("/Annots"));
  }
  const std::string bytes(pdf->begin(), pdf->end());
  EXPECT_EQ(bytes.find("the unmarked original"), std::string::npos);
  EXPECT_EQ(bytes.find("app.alert"), std::string::npos);
}

TEST(PdfStamp, RefusesWhatItCannotMark) {
  const Bytes good = make_source_pdf({{kA4W, kA4H, "正文"}});
  const auto code_of = [](const Bytes& pdf, const ArtifactMarks& m) {
    auto r = stamp_pdf(pdf, m);
    return r.ok() ? std::string("ok") : r.error().code;
  };
  EXPECT_EQ(code_of(good, sample_marks()), "ok");
  EXPECT_EQ(code_of(Bytes{}, sample_marks()), "unsupported_pdf");
  EXPECT_EQ(code_of(to_bytes("%PDF-1.4\nnot really"), sample_marks()), "unsupported_pdf");
  Bytes truncated(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(good.size() / 3));
  EXPECT_EQ(code_of(truncated, sample_marks()), "unsupported_pdf");
  for (const char* user : {"secret", ""}) {  // with a password, and openable without one
    const Bytes encrypted = edit_pdf(
        good, [](QPDF&) {},
        [&](QPDFWriter& w) {
          w.setDeterministicID(false);  // qpdf cannot combine it with encryption
          w.setR6EncryptionParameters(user, "owner", true, true, true, true, true, true,
                                      qpdf_r3p_full, true);
        });
    EXPECT_EQ(code_of(encrypted, sample_marks()), "encrypted_pdf") << "user password " << user;
  }
  ArtifactMarks bad = sample_marks();
  bad.serial.clear();
  EXPECT_EQ(code_of(good, bad), "artifact_marks");
}

TEST(PdfStamp, SameInputGivesSameBytes) {
  const Bytes source = make_source_pdf({{kA4W, kA4H, "一"}, {kA4W, kA4H, "二"}});
  auto a = stamp_pdf(source, sample_marks());
  auto b = stamp_pdf(source, sample_marks());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
}

}  // namespace
}  // namespace baomi::marking
