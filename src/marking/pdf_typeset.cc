#include "marking/pdf_typeset.h"

#include <glib.h>

#include "marking/pdf_body.h"
#include "marking/pdf_cairo.h"
#include "marking/pdf_page_marks.h"

namespace baomi::marking {
namespace {

constexpr double kBodyMargin = 64;  // left and right, in points (≈ 22.6 mm)

Status check_text(std::string_view text) {
  if (text.size() > kMaxTypesetBytes) {
    return Error{ErrorKind::kTooLarge, "text_too_large", "the text is too large to print", {}};
  }
  // g_utf8_validate_len also rejects NUL bytes, which Pango would cut the text at.
  if (!g_utf8_validate_len(text.data(), text.size(), nullptr)) {
    return Error::invalid("invalid_text", "the text is not valid UTF-8");
  }
  return Ok{};
}

}  // namespace

Result<Bytes> typeset_text_pdf(std::string_view utf8_text, const ArtifactMarks& marks) {
  BAOMI_TRY(validate_marks(marks));
  BAOMI_TRY(check_text(utf8_text));
  Bytes out;
  pdf::MemoryPdf doc(out, pdf::kA4Width, pdf::kA4Height, marks);
  const pdf::PageMarker marker(doc.cr(), marks, pdf::kA4Width, pdf::kA4Height);
  const pdf::BodyFrame frame{kBodyMargin, marker.body_top(), pdf::kA4Width - 2 * kBodyMargin,
                             marker.body_bottom() - marker.body_top()};
  pdf::BodyLayout body(doc.cr(), utf8_text, frame);
  const int pages = static_cast<int>(body.pages());
  for (int i = 0; i < pages; ++i) {
    // The marks go on top of the body (S5), the translucent watermark last of all: text
    // extractors that skip diagonal text (pdftotext -nodiag) also drop the horizontal text that
    // directly follows it in the content stream, up to the first space. See PageMarker.
    body.draw_page(static_cast<std::size_t>(i));
    BAOMI_TRY(marker.draw_header_footer(i + 1, pages));
    BAOMI_TRY(marker.draw_watermark());
    cairo_show_page(doc.cr());
  }
  BAOMI_TRY(doc.finish());
  return out;
}

}  // namespace baomi::marking
