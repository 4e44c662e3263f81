#include "marking/pdf_body.h"

#include <glib.h>

namespace baomi::marking::pdf {
namespace {

constexpr const char* kBodyFont = "Noto Serif CJK SC 11";
// Paragraphs longer than this are laid out in slices, so one huge line of text cannot make
// Pango hold the whole document at once; a slice ends at a space when there is one.
constexpr std::size_t kMaxBlockBytes = 16 * 1024;

std::size_t slice_end(std::string_view text, std::size_t begin, std::size_t end) {
  if (end - begin <= kMaxBlockBytes) return end;
  const char* base = text.data();
  const char* cut = g_utf8_find_prev_char(base + begin, base + begin + kMaxBlockBytes + 1);
  const std::size_t hard = static_cast<std::size_t>(cut - base);
  const std::size_t space = text.substr(begin, hard - begin).rfind(' ');
  return space == std::string_view::npos || space == 0 ? hard : begin + space + 1;
}

}  // namespace

BodyLayout::BodyLayout(cairo_t* cr, std::string_view text, BodyFrame frame)
    : cr_(cr), text_(text), frame_(frame), layout_(make_layout(cr, kBodyFont, {})) {
  pango_layout_set_width(layout_.get(), static_cast<int>(frame.width * PANGO_SCALE));
  pango_layout_set_wrap(layout_.get(), PANGO_WRAP_WORD_CHAR);
  split_blocks();
  paginate();
}

void BodyLayout::split_blocks() {
  std::size_t pos = 0;
  while (true) {
    std::size_t nl = text_.find('\n', pos);
    std::size_t end = nl == std::string_view::npos ? text_.size() : nl;
    std::size_t stop = end > pos && text_[end - 1] == '\r' ? end - 1 : end;  // CRLF
    std::size_t begin = pos;
    do {
      const std::size_t cut = slice_end(text_, begin, stop);
      blocks_.push_back({begin, cut});
      begin = cut;
    } while (begin < stop);
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
}

void BodyLayout::set_block(std::size_t block) {
  if (block == current_block_) return;
  const Block& b = blocks_[block];
  pango_layout_set_text(layout_.get(), text_.data() + b.begin, static_cast<int>(b.end - b.begin));
  current_block_ = block;
}

void BodyLayout::paginate() {
  pages_.emplace_back();
  double y = frame_.top;
  const double bottom = frame_.top + frame_.height;
  for (std::size_t b = 0; b < blocks_.size(); ++b) {
    set_block(b);
    PangoLayoutIter* iter = pango_layout_get_iter(layout_.get());
    int index = 0;
    do {
      int y0 = 0, y1 = 0;
      pango_layout_iter_get_line_yrange(iter, &y0, &y1);
      PangoRectangle logical;
      pango_layout_iter_get_line_extents(iter, nullptr, &logical);
      const double height = static_cast<double>(y1 - y0) / PANGO_SCALE;
      const double ascent =
          static_cast<double>(pango_layout_iter_get_baseline(iter) - y0) / PANGO_SCALE;
      if (y + height > bottom && !pages_.back().empty()) {
        // An empty line (a blank line between paragraphs, or the one after a final newline)
        // that does not fit is dropped rather than carried over: it would only push blank
        // space to the top of the next page, or open a page with no text on it.
        if (pango_layout_iter_get_line_readonly(iter)->length == 0) {
          ++index;
          continue;
        }
        pages_.emplace_back();
        y = frame_.top;
      }
      pages_.back().push_back({b, index, static_cast<double>(logical.x) / PANGO_SCALE, y + ascent});
      y += height;
      ++index;
    } while (pango_layout_iter_next_line(iter));
    pango_layout_iter_free(iter);
  }
}

void BodyLayout::draw_page(std::size_t index) {
  cairo_set_source_rgb(cr_, 0, 0, 0);
  for (const Line& line : pages_.at(index)) {
    set_block(line.block);
    PangoLayoutLine* l = pango_layout_get_line_readonly(layout_.get(), line.line);
    if (l == nullptr) continue;  // cannot happen: layout is deterministic
    cairo_move_to(cr_, frame_.left + line.x, line.baseline);
    pango_cairo_show_layout_line(cr_, l);
  }
}

}  // namespace baomi::marking::pdf
