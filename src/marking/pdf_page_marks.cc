#include "marking/pdf_page_marks.h"

#include <algorithm>
#include <cmath>

#include "marking/pdf_cairo.h"

namespace baomi::marking::pdf {
namespace {

constexpr const char* kMarkingFont = "Noto Sans CJK SC Bold 12";
constexpr const char* kTitleFont = "Noto Sans CJK SC 8";
constexpr const char* kDetailFont = "Noto Sans CJK SC 7.5";
constexpr const char* kWatermarkFont = "Noto Sans CJK SC Bold 40";
constexpr double kEdge = 20;    // paper edge to header top / footer bottom (unscaled points)
constexpr double kMargin = 40;  // left and right
constexpr double kGap = 14;     // rule to body
constexpr double kMaxWatermarkPt = 72;
// A detail line with the widest page numbers the marks can show, for measuring only.
constexpr int kWidestPage = 88888;

double height_of(PangoLayout* layout) {
  int w = 0, h = 0;
  pango_layout_get_size(layout, &w, &h);
  return static_cast<double>(h) / PANGO_SCALE;
}

double width_of(PangoLayout* layout) {
  int w = 0, h = 0;
  pango_layout_get_size(layout, &w, &h);
  return static_cast<double>(w) / PANGO_SCALE;
}

LayoutPtr detail_layout(cairo_t* cr, const std::string& text, double width) {
  LayoutPtr layout = make_layout(cr, kDetailFont, text);
  pango_layout_set_width(layout.get(), static_cast<int>(width * PANGO_SCALE));
  pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
  return layout;
}

// S5: refuse to emit marks that some glyph cannot show.
Status require_glyphs(PangoLayout* layout) {
  if (pango_layout_get_unknown_glyphs_count(layout) > 0) {
    return Error::internal("the marking font cannot render the artifact marks");
  }
  return Ok{};
}

void show_at(cairo_t* cr, PangoLayout* layout, double x, double y) {
  cairo_move_to(cr, x, y);
  pango_cairo_show_layout(cr, layout);
}

void rule(cairo_t* cr, double x0, double x1, double y) {
  cairo_set_source_rgb(cr, 0.45, 0.45, 0.45);
  cairo_set_line_width(cr, 0.5);
  cairo_move_to(cr, x0, y);
  cairo_line_to(cr, x1, y);
  cairo_stroke(cr);
}

}  // namespace

PageMarker::PageMarker(cairo_t* cr, const ArtifactMarks& marks, double width, double height)
    : cr_(cr),
      marks_(marks),
      width_(width),
      height_(height),
      scale_(std::clamp(std::min(width / kA4Width, height / kA4Height), 0.4, 1.0)) {
  measure();
}

void PageMarker::measure() {
  const double w = width_ / scale_;
  const double h = height_ / scale_;
  LayoutPtr marking = make_layout(cr_, kMarkingFont, marks_.marking);
  LayoutPtr detail =
      detail_layout(cr_, detail_line(marks_, kWidestPage, kWidestPage), w - 2 * kMargin);
  const double band = height_of(marking.get()) + 2 + height_of(detail.get()) + 4;
  body_top_ = (kEdge + band + kGap) * scale_;
  body_bottom_ = (h - kEdge - band - kGap) * scale_;
}

Status PageMarker::draw_header_footer(int page, int pages) const {
  cairo_t* cr = cr_;
  const double w = width_ / scale_;
  const double h = height_ / scale_;
  LayoutPtr marking = make_layout(cr, kMarkingFont, marks_.marking);
  LayoutPtr detail = detail_layout(cr, detail_line(marks_, page, pages), w - 2 * kMargin);
  const double marking_w = width_of(marking.get());
  const double marking_h = height_of(marking.get());
  const double detail_h = height_of(detail.get());
  BAOMI_TRY(require_glyphs(marking.get()));
  BAOMI_TRY(require_glyphs(detail.get()));

  cairo_save(cr);
  cairo_scale(cr, scale_, scale_);
  // Header: marking (and title) on the first line, the per-copy details below, then a rule.
  cairo_set_source_rgb(cr, 0.70, 0.0, 0.0);
  show_at(cr, marking.get(), kMargin, kEdge);
  const double title_x = kMargin + marking_w + 12;
  if (!marks_.document_title.empty() && w - kMargin - title_x > 24) {
    LayoutPtr title = make_layout(cr, kTitleFont, marks_.document_title);
    pango_layout_set_width(title.get(), static_cast<int>((w - kMargin - title_x) * PANGO_SCALE));
    pango_layout_set_ellipsize(title.get(), PANGO_ELLIPSIZE_END);
    pango_layout_set_alignment(title.get(), PANGO_ALIGN_RIGHT);
    cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
    cairo_move_to(cr, title_x, kEdge + marking_h - height_of(title.get()));
    pango_cairo_show_layout(cr, title.get());
  }
  cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
  show_at(cr, detail.get(), kMargin, kEdge + marking_h + 2);
  rule(cr, kMargin, w - kMargin, kEdge + marking_h + 2 + detail_h + 4);

  // Footer: the mirror image — rule, details, marking.
  const double footer_top = h - kEdge - marking_h - 2 - detail_h - 4;
  rule(cr, kMargin, w - kMargin, footer_top);
  cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
  show_at(cr, detail.get(), kMargin, footer_top + 4);
  cairo_set_source_rgb(cr, 0.70, 0.0, 0.0);
  show_at(cr, marking.get(), (w - marking_w) / 2, h - kEdge - marking_h);
  cairo_restore(cr);
  return Ok{};
}

Status PageMarker::draw_watermark() const {
  cairo_t* cr = cr_;
  LayoutPtr text = make_layout(cr, kWatermarkFont, watermark_line(marks_));
  BAOMI_TRY(require_glyphs(text.get()));
  const double diagonal = std::hypot(width_, height_);
  const double base_pt = 40;
  const double k = std::min(0.8 * diagonal / width_of(text.get()), kMaxWatermarkPt / base_pt);

  cairo_save(cr);
  cairo_translate(cr, width_ / 2, height_ / 2);
  cairo_rotate(cr, -std::atan2(height_, width_));  // bottom-left to top-right
  cairo_scale(cr, k, k);
  cairo_set_source_rgba(cr, 0.5, 0.5, 0.5, 0.22);  // light grey; the page stays legible
  cairo_move_to(cr, -width_of(text.get()) / 2, -height_of(text.get()) / 2);
  pango_cairo_show_layout(cr, text.get());
  cairo_restore(cr);
  return Ok{};
}

}  // namespace baomi::marking::pdf
