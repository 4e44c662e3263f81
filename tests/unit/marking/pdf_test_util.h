// Helpers shared by the PDF marking tests: sample marks, a temporary file for a PDF, and thin
// wrappers over poppler-utils (pdfinfo, pdftotext, pdftoppm) used to look at the output the
// way a reader would. Header-only; each test uses its own files.
#pragma once

#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "marking/marks.h"

namespace baomi::marking::testing {

inline ArtifactMarks sample_marks() {
  return {
      "秘密★2030-12-31",           "张三", "u-00042", "BM-2025-000123-7", "2025-06-01T08:30:00Z",
      "关于加强涉密载体管理的通知"};
}

// Runs a shell command and returns its standard output; empty on failure.
inline std::string run(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  return pclose(pipe) == 0 ? out : std::string();
}

// Removes ASCII whitespace: pdftotext re-wraps lines and adds spaces, which the checks ignore.
inline std::string strip_ws(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t' && c != '\f') out += c;
  }
  return out;
}

inline std::size_t count_of(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t pos = haystack.find(needle); pos != std::string::npos;
       pos = haystack.find(needle, pos + needle.size())) {
    ++n;
  }
  return n;
}

// A PDF written to a unique temporary file, removed when the object goes.
class TempPdf {
 public:
  explicit TempPdf(const Bytes& pdf) {
    char name[] = "/tmp/baomi_pdf_test_XXXXXX";
    const int fd = mkstemp(name);
    if (fd >= 0) close(fd);
    path_ = name;
    std::ofstream(path_, std::ios::binary)
        .write(reinterpret_cast<const char*>(pdf.data()), static_cast<std::streamsize>(pdf.size()));
  }
  ~TempPdf() { std::remove(path_.c_str()); }
  TempPdf(const TempPdf&) = delete;
  TempPdf& operator=(const TempPdf&) = delete;

  int pages() const {
    const std::string info = run("pdfinfo '" + path_ + "' 2>/dev/null");
    const std::size_t at = info.find("Pages:");
    return at == std::string::npos ? 0 : std::atoi(info.c_str() + at + 6);
  }
  // "Page    1 size:  595.276 x 841.89 pts (A4)" -> "595.276 x 841.89". pdfinfo pads the
  // value to a column, so the number of spaces after "size:" varies: skip all of them.
  std::string page_size(int page) const {
    const std::string p = std::to_string(page);
    const std::string info =
        run("pdfinfo -f " + p + " -l " + p + " '" + path_ + "' 2>/dev/null | grep 'size:'");
    const std::size_t label = info.find("size:");
    if (label == std::string::npos) return {};
    const std::size_t from = info.find_first_not_of(' ', label + 5);
    const std::size_t to = info.find(" pts", label);
    if (from == std::string::npos || to == std::string::npos || to < from) return {};
    return info.substr(from, to - from);
  }
  // Text of one page; diagonal text (the watermark) is left out unless asked for.
  std::string text(int page, bool with_diagonal = false) const {
    const std::string p = std::to_string(page);
    return run("pdftotext -enc UTF-8 " + std::string(with_diagonal ? "" : "-nodiag ") + "-f " + p +
               " -l " + p + " '" + path_ + "' - 2>/dev/null");
  }
  // Page rendered as 8-bit grey pixels (0 = black), row by row, at `dpi`.
  std::vector<std::uint8_t> gray(int page, int dpi, int& width, int& height) const {
    const std::string p = std::to_string(page);
    const std::string pgm = run("pdftoppm -gray -r " + std::to_string(dpi) + " -f " + p + " -l " +
                                p + " '" + path_ + "' 2>/dev/null");
    width = height = 0;
    int maxval = 0, used = 0;
    if (std::sscanf(pgm.c_str(), "P5 %d %d %d%n", &width, &height, &maxval, &used) != 3) return {};
    const std::size_t start = static_cast<std::size_t>(used) + 1;
    if (pgm.size() < start + static_cast<std::size_t>(width) * height) return {};
    return std::vector<std::uint8_t>(
        pgm.begin() + static_cast<std::ptrdiff_t>(start),
        pgm.begin() + static_cast<std::ptrdiff_t>(start) + width * height);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct SourcePage {
  double width;
  double height;
  std::string text;
};

inline cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int n) {
  static_cast<Bytes*>(closure)->insert(static_cast<Bytes*>(closure)->end(), data, data + n);
  return CAIRO_STATUS_SUCCESS;
}

// An ordinary multi-page PDF, as a user would upload: each page shows its text near the top
// left and in the middle. `cover_page` paints the whole page white after the text, as a
// hostile source would try to hide whatever is drawn under its content.
inline Bytes make_source_pdf(const std::vector<SourcePage>& pages, bool cover_page = false) {
  Bytes out;
  cairo_surface_t* surface =
      cairo_pdf_surface_create_for_stream(append_bytes, &out, pages[0].width, pages[0].height);
  cairo_t* cr = cairo_create(surface);
  for (const SourcePage& page : pages) {
    cairo_pdf_surface_set_size(surface, page.width, page.height);
    PangoLayout* layout = pango_cairo_create_layout(cr);
    PangoFontDescription* font = pango_font_description_from_string("Noto Sans CJK SC 14");
    pango_layout_set_font_description(layout, font);
    pango_layout_set_text(layout, page.text.c_str(), -1);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_move_to(cr, 72, page.height / 2);
    pango_cairo_show_layout(cr, layout);
    if (cover_page) {
      cairo_set_source_rgb(cr, 1, 1, 1);
      cairo_paint(cr);
    }
    pango_font_description_free(font);
    g_object_unref(layout);
    cairo_show_page(cr);
  }
  cairo_destroy(cr);
  cairo_surface_destroy(surface);
  return out;
}

}  // namespace baomi::marking::testing
