// The hidden mark written with qpdf (pdf_qpdf.h, pdf_hidden_mark.h): an invisible text run
// carrying the token, three times on every page.

// qpdf 11 asks users to declare they no longer need its old PointerHolder type.
#define POINTERHOLDER_TRANSITION 4
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <new>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <qpdf/QPDFWriter.hh>
#include <string_view>

#include "marking/pdf_qpdf.h"

namespace baomi::marking::pdf {
namespace {

constexpr std::string_view kFontName = "/BaomiMark";

// Three invisible runs across the page's media box, in the page's own coordinates.
std::string content_for(QPDFPageObjectHelper& page, const std::string& token) {
  const auto box = page.getMediaBox().getArrayAsRectangle();
  const double llx = std::min(box.llx, box.urx), w = std::abs(box.urx - box.llx);
  const double lly = std::min(box.lly, box.ury), h = std::abs(box.ury - box.lly);
  std::string out = "q BT 3 Tr " + std::string(kFontName) + " 4 Tf\n";
  for (double f : {0.75, 0.5, 0.25}) {
    char line[96];
    std::snprintf(line, sizeof line, "1 0 0 1 %.2f %.2f Tm (", llx + 0.08 * w, lly + f * h);
    out += line;
    out += token;  // hex digits, a colon and letters only: nothing to escape
    out += ") Tj\n";
  }
  return out + "ET Q\n";
}

Result<Bytes> mark(const std::uint8_t* data, std::size_t size, const std::string& token) {
  QPDF pdf;
  pdf.setSuppressWarnings(true);
  pdf.processMemoryFile("artifact", reinterpret_cast<const char*>(data), size);
  QPDFObjectHandle font = pdf.makeIndirectObject(QPDFObjectHandle::parse(
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"));
  QPDFPageDocumentHelper doc(pdf);
  doc.pushInheritedAttributesToPage();
  for (QPDFPageObjectHelper& page : doc.getAllPages()) {
    QPDFObjectHandle dict = page.getObjectHandle();
    QPDFObjectHandle resources = dict.getKey("/Resources");
    if (!resources.isDictionary()) {
      resources = QPDFObjectHandle::newDictionary();
      dict.replaceKey("/Resources", resources);
    }
    QPDFObjectHandle fonts = resources.getKey("/Font");
    if (!fonts.isDictionary()) {
      fonts = QPDFObjectHandle::newDictionary();
      resources.replaceKey("/Font", fonts);
    }
    fonts.replaceKey(std::string(kFontName), font);
    page.addPageContents(QPDFObjectHandle::newStream(&pdf, content_for(page, token)), false);
  }
  QPDFWriter writer(pdf);
  writer.setOutputMemory();
  writer.setDecodeLevel(qpdf_dl_none);
  writer.setDeterministicID(true);
  writer.write();
  std::shared_ptr<Buffer> buffer = writer.getBufferSharedPointer();
  return Bytes(buffer->getBuffer(), buffer->getBuffer() + buffer->getSize());
}

}  // namespace

Result<Bytes> write_hidden_token(const std::uint8_t* data, std::size_t size,
                                 const std::string& token) {
  try {
    return mark(data, size, token);
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception&) {
    return Error::invalid("unsupported_pdf", "the PDF cannot be marked");
  }
}

}  // namespace baomi::marking::pdf
