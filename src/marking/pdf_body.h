// BodyLayout: wraps plain UTF-8 text with Pango and breaks it into pages that fit a given
// band, then draws one page at a time. Layout runs twice (measure, then draw) so memory stays
// proportional to the number of lines, not to the glyphs of the whole text. Internal to
// marking/. Not thread-safe; one per document.
#pragma once

#include <cairo.h>

#include <cstddef>
#include <string_view>
#include <vector>

#include "marking/pdf_cairo.h"

namespace baomi::marking::pdf {

struct BodyFrame {
  double left = 0;
  double top = 0;
  double width = 0;
  double height = 0;
};

class BodyLayout {
 public:
  // `text` must be valid UTF-8 and outlive the layout; `cr` is the target context.
  BodyLayout(cairo_t* cr, std::string_view text, BodyFrame frame);

  // Number of pages (at least 1, so an empty text still yields a marked page).
  std::size_t pages() const { return pages_.size(); }
  // Draws the body lines of page `index` (0-based) at the current transform.
  void draw_page(std::size_t index);

 private:
  struct Line {
    std::size_t block;  // index into blocks_
    int line;           // line within the block's layout
    double x;           // from the left of the frame
    double baseline;    // from the top of the page
  };
  struct Block {  // one paragraph, or a slice of a very long one
    std::size_t begin;
    std::size_t end;
  };

  void split_blocks();
  void paginate();
  void set_block(std::size_t block);

  cairo_t* cr_;
  std::string_view text_;
  BodyFrame frame_;
  LayoutPtr layout_;
  std::size_t current_block_ = static_cast<std::size_t>(-1);
  std::vector<Block> blocks_;
  std::vector<std::vector<Line>> pages_;
};

}  // namespace baomi::marking::pdf
