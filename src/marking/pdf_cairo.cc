#include "marking/pdf_cairo.h"

namespace baomi::marking::pdf {
namespace {

cairo_status_t append_to_bytes(void* closure, const unsigned char* data, unsigned int length) {
  auto* out = static_cast<Bytes*>(closure);
  out->insert(out->end(), data, data + length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

MemoryPdf::MemoryPdf(Bytes& out, double width, double height, const ArtifactMarks& marks)
    : surface_(cairo_pdf_surface_create_for_stream(append_to_bytes, &out, width, height)),
      cr_(cairo_create(surface_.get())) {
  cairo_surface_t* s = surface_.get();
  // A fixed creation date (the issue time) keeps the output a function of the input.
  const std::string date = issued_at_seconds(marks);
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, date.c_str());
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, date.c_str());
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, marks.document_title.c_str());
  const std::string subject = marks.marking + " " + marks.serial;
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_SUBJECT, subject.c_str());
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "Baomi");
}

Status MemoryPdf::finish() {
  cairo_status_t status = cairo_status(cr_.get());
  cr_.reset();
  cairo_surface_finish(surface_.get());
  if (status == CAIRO_STATUS_SUCCESS) status = cairo_surface_status(surface_.get());
  if (status != CAIRO_STATUS_SUCCESS) {
    return Error::internal(std::string("PDF rendering failed: ") + cairo_status_to_string(status));
  }
  return Ok{};
}

LayoutPtr make_layout(cairo_t* cr, const char* font, const std::string& text) {
  LayoutPtr layout(pango_cairo_create_layout(cr));
  // Font sizes are in points and a PDF user unit is one point: without this, Pango assumes a
  // 96 dpi screen and every font comes out 4/3 of its stated size.
  pango_cairo_context_set_resolution(pango_layout_get_context(layout.get()), 72);
  pango_layout_context_changed(layout.get());
  FontPtr desc(pango_font_description_from_string(font));
  pango_layout_set_font_description(layout.get(), desc.get());
  // Where a word is broken across lines, Pango would draw a hyphen that is not in the text; a
  // print must show exactly the characters of the document and of the marks (an account
  // number or a serial must not gain a '-').
  PangoAttrList* attrs = pango_attr_list_new();
  pango_attr_list_insert(attrs, pango_attr_insert_hyphens_new(FALSE));
  pango_layout_set_attributes(layout.get(), attrs);
  pango_attr_list_unref(attrs);
  pango_layout_set_text(layout.get(), text.data(), static_cast<int>(text.size()));
  return layout;
}

}  // namespace baomi::marking::pdf
