// PDF excerpts (S5, S7): an approved excerpt of a PDF source holds exactly the pages approved,
// each stamped like a print and numbered as a page of the excerpt, and carries nothing of the
// other pages, not even where a reader does not look.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "marking/pdf_stamp.h"
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

// Five pages, each tagged with its own text and given its own size, so both show which source
// page ended up where.
const std::vector<SourcePage> kFivePages = {{kA4W, kA4H, "甲页正文"},
                                            {612, 792, "乙页正文"},
                                            {kA4H, kA4W, "丙页正文"},
                                            {500, 700, "丁页正文"},
                                            {kA4W, kA4H, "戊页正文"}};
const char* const kSizes[] = {"595.276 x 841.89", "612 x 792", "841.89 x 595.276", "500 x 700",
                              "595.276 x 841.89"};

Result<Bytes> pdf_excerpt_of(const Bytes& source, std::uint64_t first, std::uint64_t end,
                             const ArtifactMarks& marks = sample_marks()) {
  return stamp_pdf_pages(source, first, end, marks);
}

TEST(PdfExcerpt, KeepsTheChosenPagesInOrderEachWithAllMarks_S7) {
  const Bytes source = make_source_pdf(kFivePages);
  struct Range {
    std::uint64_t first, end;
  };
  for (const Range r : {Range{1, 4}, Range{0, 1}, Range{4, 5}, Range{0, 5}, Range{2, 4}}) {
    SCOPED_TRACE("pages [" + std::to_string(r.first) + ", " + std::to_string(r.end) + ")");
    auto pdf = pdf_excerpt_of(source, r.first, r.end);
    ASSERT_TRUE(pdf.ok()) << pdf.error().message;
    TempPdf file(*pdf);
    const int n = static_cast<int>(r.end - r.first);
    ASSERT_EQ(file.pages(), n);
    for (int i = 1; i <= n; ++i) {
      SCOPED_TRACE("excerpt page " + std::to_string(i));
      const std::size_t src = r.first + static_cast<std::size_t>(i - 1);
      EXPECT_EQ(file.page_size(i), kSizes[src]);
      const std::string text = strip_ws(file.text(i));
      for (std::size_t k = 0; k < kFivePages.size(); ++k) {
        EXPECT_EQ(count_of(text, kFivePages[k].text), k == src ? 1u : 0u) << "source page " << k;
      }
      expect_marks(file.text(i), i, n);  // numbered as pages of the excerpt
    }
  }
}

// The whole range is the whole document: the same bytes as a stamped print.
TEST(PdfExcerpt, WholeRangeIsTheStampedPrint) {
  const Bytes source = make_source_pdf(kFivePages);
  auto all = pdf_excerpt_of(source, 0, 5);
  auto print = stamp_pdf(source, sample_marks());
  ASSERT_TRUE(all.ok() && print.ok());
  EXPECT_EQ(*all, *print);
}

// Everything in the file, streams decoded: to look for what must not be there.
std::string dump_objects(const Bytes& pdf) {
  QPDF q;
  q.processMemoryFile("out", reinterpret_cast<const char*>(pdf.data()), pdf.size());
  std::string out = q.getTrailer().unparse();
  for (QPDFObjectHandle& obj : q.getAllObjects()) {
    if (obj.isStream()) {
      out += obj.getDict().unparse();  // direct: its own entries
      const std::shared_ptr<Buffer> data = obj.getStreamData(qpdf_dl_generalized);
      out.append(reinterpret_cast<const char*>(data->getBuffer()), data->getSize());
    } else {
      out += obj.unparseResolved();  // the object itself, not "n 0 R"
    }
    out += '\n';
  }
  return out;
}

// A source whose pages are reachable from everywhere a PDF allows: named destinations (old and
// new style), the structure tree (with alternate texts), page labels, and each page's resources
// pointing at the next page. Each page also carries a secret in its content, a thumbnail and
// application data.
Bytes cross_referenced_source() {
  return edit_pdf(make_source_pdf(kFivePages), [](QPDF& q) {
    std::vector<QPDFPageObjectHelper> pages = pages_of(q);
    QPDFObjectHandle dests = QPDFObjectHandle::newDictionary();
    QPDFObjectHandle names = QPDFObjectHandle::newArray();
    QPDFObjectHandle elements = QPDFObjectHandle::newArray();
    for (std::size_t i = 0; i < pages.size(); ++i) {
      const std::string n = std::to_string(i);
      QPDFObjectHandle page = pages[i].getObjectHandle();
      pages[i].addPageContents(q.newStream("% CONTENT-SECRET-" + n + "\n"), false);
      page.replaceKey("/Thumb", q.newStream("THUMB-SECRET-" + n));
      page.replaceKey("/PieceInfo", QPDFObjectHandle::parse("<< /App << /Private (PIECE-SECRET-" +
                                                            n + ") >> >>"));
      page.getKey("/Resources")
          .replaceKey("/BaomiNext", pages[(i + 1) % pages.size()].getObjectHandle());
      QPDFObjectHandle dest = QPDFObjectHandle::newArray();
      dest.appendItem(page);
      dest.appendItem(QPDFObjectHandle::newName("/Fit"));
      dests.replaceKey("/p" + n, dest);
      names.appendItem(QPDFObjectHandle::newString("p" + n));
      names.appendItem(dest);
      QPDFObjectHandle element =
          QPDFObjectHandle::parse("<< /Type /StructElem /S /Figure /Alt (ALT-SECRET-" + n + ") >>");
      element.replaceKey("/Pg", page);
      elements.appendItem(element);
    }
    QPDFObjectHandle root = q.getRoot();
    root.replaceKey("/Dests", q.makeIndirectObject(dests));
    QPDFObjectHandle tree = QPDFObjectHandle::newDictionary();
    tree.replaceKey("/Names", names);
    root.replaceKey("/Names", QPDFObjectHandle::newDictionary());
    root.getKey("/Names").replaceKey("/Dests", tree);
    QPDFObjectHandle struct_root = QPDFObjectHandle::parse("<< /Type /StructTreeRoot >>");
    struct_root.replaceKey("/K", elements);
    root.replaceKey("/StructTreeRoot", q.makeIndirectObject(struct_root));
    root.replaceKey("/MarkInfo", QPDFObjectHandle::parse("<< /Marked true >>"));
    root.replaceKey("/PageLabels", QPDFObjectHandle::parse("<< /Nums [0 << /S /D >>] >>"));
  });
}

// S7: only what was approved leaves. The other pages' content must not be in the file at all,
// even unreferenced by the page tree; and a print carries no thumbnails (unmarked pictures of
// its pages), application data (which can hold a whole unmarked document) or structure tree.
TEST(PdfExcerpt, CarriesNothingOfTheOtherPages_S7) {
  const Bytes source = cross_referenced_source();
  const std::string before = dump_objects(source);
  ASSERT_NE(before.find("CONTENT-SECRET-0"), std::string::npos);  // the source really has them
  ASSERT_NE(before.find("THUMB-SECRET-1"), std::string::npos);
  ASSERT_NE(before.find("ALT-SECRET-2"), std::string::npos);

  auto pdf = pdf_excerpt_of(source, 2, 3);
  ASSERT_TRUE(pdf.ok()) << pdf.error().message;
  const std::string after = dump_objects(*pdf);
  EXPECT_NE(after.find("CONTENT-SECRET-2"), std::string::npos);
  for (const char* gone :
       {"CONTENT-SECRET-0", "CONTENT-SECRET-1", "CONTENT-SECRET-3", "CONTENT-SECRET-4",
        "THUMB-SECRET", "PIECE-SECRET", "ALT-SECRET", "/StructTreeRoot", "/Dests", "/PageLabels"}) {
    EXPECT_EQ(after.find(gone), std::string::npos) << gone;
  }
  TempPdf file(*pdf);
  ASSERT_EQ(file.pages(), 1);
  EXPECT_EQ(count_of(strip_ws(file.text(1)), "丙页正文"), 1u);
  expect_marks(file.text(1), 1, 1);

  // The whole print keeps every page's content, and drops the same extras.
  auto print = stamp_pdf(source, sample_marks());
  ASSERT_TRUE(print.ok()) << print.error().message;
  const std::string all = dump_objects(*print);
  for (int i = 0; i < 5; ++i) {
    EXPECT_NE(all.find("CONTENT-SECRET-" + std::to_string(i)), std::string::npos) << i;
  }
  for (const char* gone : {"THUMB-SECRET", "PIECE-SECRET", "ALT-SECRET", "/StructTreeRoot"}) {
    EXPECT_EQ(all.find(gone), std::string::npos) << gone;
  }
}

TEST(PdfExcerpt, RefusesRangesOutsideTheSource) {
  const Bytes three = make_source_pdf({kFivePages[0], kFivePages[1], kFivePages[2]});
  const auto code_of = [](const Bytes& pdf, std::uint64_t first, std::uint64_t end,
                          const ArtifactMarks& marks = sample_marks()) {
    auto r = stamp_pdf_pages(pdf, first, end, marks);
    if (r.ok()) return std::string("ok");
    EXPECT_EQ(r.error().kind, ErrorKind::kInvalidArgument) << r.error().code;
    return r.error().code;
  };
  EXPECT_EQ(code_of(three, 0, 3), "ok");
  EXPECT_EQ(code_of(three, 2, 3), "ok");
  struct Range {
    std::uint64_t first, end;
  };
  for (const Range r : {Range{0, 0}, Range{2, 2}, Range{2, 1}, Range{3, 3}, Range{3, 4},
                        Range{0, 4}, Range{2, 9}, Range{5, 9}, Range{0, UINT64_MAX},
                        Range{UINT64_MAX - 1, UINT64_MAX}, Range{UINT64_MAX, 0}}) {
    EXPECT_EQ(code_of(three, r.first, r.end), "excerpt_out_of_range") << r.first << " " << r.end;
  }
  // stamp_pdf's refusals still apply; bad marks first, and an empty range before the source.
  ArtifactMarks bad = sample_marks();
  bad.serial.clear();
  EXPECT_EQ(code_of(three, 0, 1, bad), "artifact_marks");
  EXPECT_EQ(code_of(three, 1, 1, bad), "artifact_marks");
  EXPECT_EQ(code_of(Bytes{}, 0, 1), "unsupported_pdf");
  EXPECT_EQ(code_of(to_bytes("%PDF-1.4\nnot really"), 0, 1), "unsupported_pdf");
  EXPECT_EQ(code_of(Bytes{}, 1, 1), "excerpt_out_of_range");
  const Bytes encrypted = edit_pdf(
      three, [](QPDF&) {},
      [](QPDFWriter& w) {
        w.setDeterministicID(false);  // qpdf cannot combine it with encryption
        w.setR6EncryptionParameters("", "owner", true, true, true, true, true, true, qpdf_r3p_full,
                                    true);
      });
  EXPECT_EQ(code_of(encrypted, 0, 1), "encrypted_pdf");
  EXPECT_EQ(code_of(encrypted, 0, 9), "encrypted_pdf");  // says nothing of its page count
}

TEST(PdfExcerpt, SameInputGivesSameBytes) {
  const Bytes source = make_source_pdf(kFivePages);
  auto a = pdf_excerpt_of(source, 1, 3);
  auto b = pdf_excerpt_of(source, 1, 3);
  auto other = pdf_excerpt_of(source, 2, 4);
  ASSERT_TRUE(a.ok() && b.ok() && other.ok());
  EXPECT_EQ(*a, *b);
  EXPECT_NE(*a, *other);
}

}  // namespace
}  // namespace baomi::marking
