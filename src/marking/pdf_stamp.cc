// Stamping with qpdf (pdf_qpdf.h): the source is opened, pruned to the printed pages and their
// content, and each page is wrapped with the marks overlay drawn over it.
#include "marking/pdf_qpdf.h"

// qpdf 11 asks users to declare they no longer need its old PointerHolder type.
#define POINTERHOLDER_TRANSITION 4
#include <cmath>
#include <cstdint>
#include <memory>
#include <new>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <qpdf/QPDFWriter.hh>
#include <string>
#include <vector>

#include "marking/pdf_overlay.h"
#include "marking/pdf_prune.h"

namespace baomi::marking::pdf {
namespace {

using Rect = QPDFObjectHandle::Rectangle;

// PDF's own limits on a page side, in points (ISO 32000-1 annex C, with UserUnit 1).
constexpr double kMinSide = 3;
constexpr double kMaxSide = 14400;

// The message says nothing about the bytes: they belong to a classified document.
Error unsupported() {
  return Error::invalid("unsupported_pdf", "the source is not a PDF that can be stamped");
}
Error encrypted() {
  return Error::invalid("encrypted_pdf", "encrypted PDFs cannot be stamped; upload it decrypted");
}

struct Geometry {
  Rect rect;         // where the page is visible (its crop box), normalised
  PageSize display;  // the size a reader sees, after /Rotate
};

Result<Geometry> page_geometry(QPDFPageObjectHelper& page) {
  QPDFObjectHandle box = page.getCropBox();
  if (!box.isRectangle()) return unsupported();
  const Rect r = box.getArrayAsRectangle();
  const Rect rect(std::min(r.llx, r.urx), std::min(r.lly, r.ury), std::max(r.llx, r.urx),
                  std::max(r.lly, r.ury));
  const double w = rect.urx - rect.llx;
  const double h = rect.ury - rect.lly;
  if (!(w >= kMinSide && w <= kMaxSide && h >= kMinSide && h <= kMaxSide)) return unsupported();
  int rotate = 0;
  QPDFObjectHandle rot = page.getAttribute("/Rotate", false);
  if (rot.isInteger()) rotate = static_cast<int>(((rot.getIntValue() % 360) + 360) % 360);
  // Marks must land upright where the reader sees them; an odd angle leaves that unclear.
  if (rotate % 90 != 0) return unsupported();
  const bool sideways = rotate == 90 || rotate == 270;
  return Geometry{rect, sideways ? PageSize{h, w} : PageSize{w, h}};
}

// The page's content as a form XObject in the page's own coordinates. Drawing it with "Do"
// confines it: the graphics state it leaves (even an unbalanced "q" after a "cm", which a q/Q
// around the content would not undo), an unclosed text object or inline image, all end with
// the form, so nothing in the source can move, hide or swallow what is drawn after it.
QPDFObjectHandle content_form(QPDF& pdf, QPDFPageObjectHelper& page) {
  QPDFObjectHandle page_dict = page.getObjectHandle();
  QPDFObjectHandle contents = page_dict.getKey("/Contents");
  QPDFObjectHandle form;
  if (contents.isStream()) {
    // One stream (the common case): copy its bytes still encoded, so nothing is decompressed;
    // pages that share a content stream each get their own copy with their own resources.
    const std::shared_ptr<Buffer> raw = contents.getRawStreamData();
    form = QPDFObjectHandle::newStream(&pdf);
    form.replaceStreamData(
        std::string(reinterpret_cast<const char*>(raw->getBuffer()), raw->getSize()),
        contents.getDict().getKey("/Filter"), contents.getDict().getKey("/DecodeParms"));
  } else {
    // Several streams (or none): a new stream that qpdf fills, when the file is written, with
    // the old streams concatenated (decoded). It is referenced by nothing else.
    page.coalesceContentStreams();
    form = page_dict.getKey("/Contents");
  }
  QPDFObjectHandle dict = form.getDict();
  dict.replaceKey("/Type", QPDFObjectHandle::newName("/XObject"));
  dict.replaceKey("/Subtype", QPDFObjectHandle::newName("/Form"));
  dict.replaceKey("/BBox", page.getMediaBox());
  dict.removeKey("/Matrix");
  QPDFObjectHandle resources = page_dict.getKey("/Resources");
  dict.replaceKey("/Resources",
                  resources.isDictionary() ? resources : QPDFObjectHandle::newDictionary());
  QPDFObjectHandle group = page_dict.getKey("/Group");
  if (group.isDictionary()) {
    dict.replaceKey("/Group", group);
  } else {
    dict.removeKey("/Group");
  }
  return form;
}

// Replaces the content of `page` with its old content as a form XObject and form XObject
// `marks` over it, filling `rect`. The page keeps only these two resources.
Status place_overlay(QPDF& pdf, QPDFPageObjectHelper& page, QPDFObjectHandle marks, Rect rect) {
  const std::string source_name = "/BaomiPage";
  const std::string marks_name = "/BaomiMarks";
  const std::string placed = page.placeFormXObject(marks, marks_name, rect, true, true, true);
  if (placed.empty()) return unsupported();
  QPDFObjectHandle xobjects = QPDFObjectHandle::newDictionary();
  xobjects.replaceKey(source_name, content_form(pdf, page));
  xobjects.replaceKey(marks_name, marks);
  QPDFObjectHandle resources = QPDFObjectHandle::newDictionary();
  resources.replaceKey("/XObject", xobjects);
  QPDFObjectHandle page_dict = page.getObjectHandle();
  page_dict.replaceKey("/Resources", resources);
  page_dict.replaceKey("/Contents", pdf.newStream("q " + source_name + " Do Q\n" + placed));
  return Ok{};
}

Result<Bytes> write_pdf(QPDF& pdf) {
  QPDFWriter writer(pdf);
  writer.setOutputMemory();
  // Leave the source's streams as they are: no decoding means no decompression bombs.
  writer.setDecodeLevel(qpdf_dl_none);
  writer.setDeterministicID(true);
  writer.setMinimumPDFVersion("1.5");  // the overlay uses transparency (1.4) like cairo's own
  writer.write();
  std::shared_ptr<Buffer> buffer = writer.getBufferSharedPointer();
  return Bytes(buffer->getBuffer(), buffer->getBuffer() + buffer->getSize());
}

Result<Bytes> stamp(QPDF& src, PageRange range, const ArtifactMarks& marks) {
  if (src.isEncrypted()) return encrypted();
  QPDFPageDocumentHelper doc(src);
  doc.pushInheritedAttributesToPage();
  const std::size_t count = doc.getAllPages().size();
  if (count == 0) return unsupported();
  if (range.all) range.end = count;
  if (range.end > count) return page_range_error();
  keep_pages(src, static_cast<std::size_t>(range.first), static_cast<std::size_t>(range.end));
  std::vector<QPDFPageObjectHelper> pages = doc.getAllPages();
  std::vector<Geometry> geometry;
  std::vector<PageSize> sizes;
  for (QPDFPageObjectHelper& page : pages) {
    BAOMI_ASSIGN_OR_RETURN(Geometry g, page_geometry(page));
    geometry.push_back(g);
    sizes.push_back(g.display);
  }
  keep_only_printed_content(src);

  BAOMI_ASSIGN_OR_RETURN(const Bytes overlay_pdf, render_overlay(sizes, marks));
  QPDF overlay;
  overlay.processMemoryFile("overlay", reinterpret_cast<const char*>(overlay_pdf.data()),
                            overlay_pdf.size());
  std::vector<QPDFPageObjectHelper> overlay_pages = QPDFPageDocumentHelper(overlay).getAllPages();
  if (overlay_pages.size() != pages.size()) return Error::internal("overlay page count mismatch");
  for (std::size_t i = 0; i < pages.size(); ++i) {
    QPDFObjectHandle fo = src.copyForeignObject(overlay_pages[i].getFormXObjectForPage());
    BAOMI_TRY(place_overlay(src, pages[i], fo, geometry[i].rect));
  }
  // `overlay` and its bytes must live until here: copied streams are read at write time.
  return write_pdf(src);
}

}  // namespace

Error page_range_error() {
  return Error::invalid("excerpt_out_of_range",
                        "the page range is empty or goes beyond the last page of the source");
}

// Whatever qpdf throws becomes an error.
Result<Bytes> stamp_source(const std::uint8_t* data, std::size_t size, PageRange range,
                           const ArtifactMarks& marks) {
  try {
    QPDF src;
    src.setSuppressWarnings(true);
    src.processMemoryFile("source", reinterpret_cast<const char*>(data), size);
    return stamp(src, range, marks);
  } catch (const QPDFExc& e) {
    // A password-protected file fails while opening; one with an empty user password opens.
    return e.getErrorCode() == qpdf_e_password ? encrypted() : unsupported();
  } catch (const std::bad_alloc&) {
    throw;  // memory exhaustion is not a property of the input format
  } catch (const std::exception&) {
    // qpdf also reports malformed input as runtime_error/logic_error; never let it escape.
    return unsupported();
  }
}

}  // namespace baomi::marking::pdf
