#include "marking/pdf_overlay.h"

#include "marking/pdf_cairo.h"
#include "marking/pdf_page_marks.h"

namespace baomi::marking::pdf {

Result<Bytes> render_overlay(const std::vector<PageSize>& pages, const ArtifactMarks& marks) {
  Bytes out;
  MemoryPdf doc(out, pages.front().width, pages.front().height, marks);
  const int count = static_cast<int>(pages.size());
  for (int i = 0; i < count; ++i) {
    const PageSize& size = pages[static_cast<std::size_t>(i)];
    // Must precede any drawing on the page.
    cairo_pdf_surface_set_size(doc.surface(), size.width, size.height);
    const PageMarker marker(doc.cr(), marks, size.width, size.height);
    // Watermark last: see PageMarker::draw_watermark.
    BAOMI_TRY(marker.draw_header_footer(i + 1, count));
    BAOMI_TRY(marker.draw_watermark());
    cairo_show_page(doc.cr());
  }
  BAOMI_TRY(doc.finish());
  return out;
}

}  // namespace baomi::marking::pdf
