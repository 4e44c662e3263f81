// Helpers shared by the tests of stamped prints and excerpts: editing a source PDF with qpdf
// (to make it hostile or odd), and checking the marks on a page of the output. Header-only.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

// qpdf 11 asks users to declare they no longer need its old PointerHolder type.
#define POINTERHOLDER_TRANSITION 4
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include "pdf_test_util.h"

namespace baomi::marking::testing {

inline constexpr double kA4W = 595.276, kA4H = 841.89;

// Loads `pdf` with qpdf, lets `edit` change it, and writes it back.
inline Bytes edit_pdf(const Bytes& pdf, const std::function<void(QPDF&)>& edit,
                      const std::function<void(QPDFWriter&)>& setup = {}) {
  QPDF q;
  q.processMemoryFile("source", reinterpret_cast<const char*>(pdf.data()), pdf.size());
  edit(q);
  QPDFWriter w(q);
  w.setOutputMemory();
  w.setDeterministicID(true);
  if (setup) setup(w);
  w.write();
  std::shared_ptr<Buffer> b = w.getBufferSharedPointer();
  return Bytes(b->getBuffer(), b->getBuffer() + b->getSize());
}

inline std::vector<QPDFPageObjectHelper> pages_of(QPDF& q) {
  return QPDFPageDocumentHelper(q).getAllPages();
}

// Every mark twice on the page (header and footer) and the page number exactly twice.
inline void expect_marks(const std::string& page_text, int page, int pages) {
  const ArtifactMarks m = sample_marks();
  const std::string text = strip_ws(page_text);
  EXPECT_GE(count_of(text, m.marking), 2u);
  EXPECT_GE(count_of(text, m.holder_name), 2u);
  EXPECT_GE(count_of(text, m.holder_id), 2u);
  EXPECT_GE(count_of(text, m.serial), 2u);
  EXPECT_GE(count_of(text, m.issued_at), 2u);
  EXPECT_EQ(count_of(text, "第" + std::to_string(page) + "/" + std::to_string(pages) + "页"), 2u);
}

}  // namespace baomi::marking::testing
