// PageMarker: lays out and draws the S5 marks on one PDF page of a given size: a header and a
// footer that each carry the marking, holder name and id, serial, issue time and page i/n,
// and a light-grey translucent diagonal watermark (marking, holder, serial) across the page,
// drawn over everything else. Used by the typesetter (around and over the body) and by the
// stamper (as an overlay). Marks are drawn
// only if every character has a glyph: a marking that renders as empty boxes is no marking.
// Not thread-safe; one per page size and cairo context.
#pragma once

#include <cairo.h>

#include "core/result.h"
#include "marking/marks.h"

namespace baomi::marking::pdf {

class PageMarker {
 public:
  // `marks` must be valid (validate_marks) and outlive the marker.
  PageMarker(cairo_t* cr, const ArtifactMarks& marks, double width, double height);

  // The band between header and footer, in points from the top of the page, which page
  // content may use without running into the marks.
  double body_top() const { return body_top_; }
  double body_bottom() const { return body_bottom_; }

  // Draw the watermark after all other text of the page. Poppler's text extraction with
  // diagonal text discarded (pdftotext -nodiag, 22.x) keeps the "diagonal" state of the
  // discarded word and so also drops the next horizontal text up to the first space: drawn
  // first, the watermark would hide the first word of the body or of the header from it.
  Status draw_watermark() const;
  Status draw_header_footer(int page, int pages) const;

 private:
  void measure();

  cairo_t* cr_;
  const ArtifactMarks& marks_;
  double width_;
  double height_;
  double scale_;  // < 1 on pages narrower than A4, so the marks still fit
  double body_top_ = 0;
  double body_bottom_ = 0;
};

}  // namespace baomi::marking::pdf
