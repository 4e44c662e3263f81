// Small RAII owners for the cairo and Pango objects the PDF code uses, and a PDF surface that
// writes into memory. Internal to marking/. Not thread-safe per object; separate objects may
// be used from separate threads (Pango keeps one font map per thread).
#pragma once

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <memory>
#include <string>

#include "core/bytes.h"
#include "core/result.h"
#include "marking/marks.h"

namespace baomi::marking::pdf {

struct CairoSurfaceFree {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct CairoFree {
  void operator()(cairo_t* cr) const { cairo_destroy(cr); }
};
struct GObjectFree {
  void operator()(void* o) const { g_object_unref(o); }
};
struct FontDescriptionFree {
  void operator()(PangoFontDescription* d) const { pango_font_description_free(d); }
};
using SurfacePtr = std::unique_ptr<cairo_surface_t, CairoSurfaceFree>;
using CairoPtr = std::unique_ptr<cairo_t, CairoFree>;
using LayoutPtr = std::unique_ptr<PangoLayout, GObjectFree>;
using FontPtr = std::unique_ptr<PangoFontDescription, FontDescriptionFree>;

// A4 in PDF points.
inline constexpr double kA4Width = 595.276;
inline constexpr double kA4Height = 841.890;
inline constexpr const char* kSansFont = "Noto Sans CJK SC";
inline constexpr const char* kSerifFont = "Noto Serif CJK SC";

// A PDF surface whose bytes accumulate in `out`, with document metadata derived from the
// marks (title, subject = marking and serial, creation date = issue time) so that the same
// input gives the same bytes. `out` must outlive the surface.
class MemoryPdf {
 public:
  MemoryPdf(Bytes& out, double width, double height, const ArtifactMarks& marks);
  cairo_t* cr() const { return cr_.get(); }
  cairo_surface_t* surface() const { return surface_.get(); }
  // Finishes the document; an error if cairo failed at any point.
  Status finish();

 private:
  SurfacePtr surface_;
  CairoPtr cr_;
};

// A layout on `cr` with `font` (e.g. "Noto Sans CJK SC Bold 12") and plain text (never markup:
// names and titles are data, not formatting).
LayoutPtr make_layout(cairo_t* cr, const char* font, const std::string& text);

}  // namespace baomi::marking::pdf
