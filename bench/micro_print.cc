// Micro-benchmarks of marked prints (S5, S7): typesetting a 20-page A4 print from text
// (marking::typeset_text_pdf) and stamping the marks onto an existing 20-page PDF
// (marking::stamp_pdf). DESIGN.md sets no target; the product expects a print well under 1 s.
// The text is mixed Chinese/ASCII (about 56% ASCII characters); at the body font (Noto Serif
// CJK SC 11 pt) 20 A4 pages hold ~2,200 such characters each (80,000 characters, i.e. 4,000 a
// page, fill 36 pages). The benchmarks fail unless every print has exactly 20 pages.
// qpdf 11: no PointerHolder in its API (as in src/marking/pdf_stamp.cc).
#define POINTERHOLDER_TRANSITION 4
#include <benchmark/benchmark.h>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>

#include <chrono>
#include <cstdint>
#include <string>

#include "marking/marks.h"
#include "marking/pdf_stamp.h"
#include "marking/pdf_typeset.h"
#include "sample_text.h"

namespace {

namespace marking = baomi::marking;

constexpr int kPages = 20;
// Characters of sample text that fill exactly kPages pages: 43,500 to 44,750 did when this was
// written; the middle leaves room for small changes of layout (checked after every run).
constexpr std::size_t kTextChars = 44'000;

marking::ArtifactMarks print_marks() {
  return {"秘密★2030-12-31", "张三",
          "u3qzv6q2bq5kq5w6y7ofb4dc2e", "BM-2025-000123-7",
          "2025-06-01T08:30:00Z", "关于加强涉密载体管理的通知"};
}

int page_count(const baomi::Bytes& pdf) {
  QPDF q;
  q.processMemoryFile("print", reinterpret_cast<const char*>(pdf.data()), pdf.size());
  return static_cast<int>(QPDFPageDocumentHelper(q).getAllPages().size());
}

const std::string& print_text() {
  static const std::string text = baomi_bench::mixed_text(kTextChars);
  return text;
}

// The first typesetting in the process (fonts loaded, caches cold), in ms; what the first print
// after a server start costs. Later calls reuse the Pango font map of the thread.
double first_print_ms() {
  static const double ms = [] {
    const auto t0 = std::chrono::steady_clock::now();
    auto pdf = marking::typeset_text_pdf(print_text(), print_marks());
    const auto t1 = std::chrono::steady_clock::now();
    return pdf.ok() ? std::chrono::duration<double, std::milli>(t1 - t0).count() : -1.0;
  }();
  return ms;
}

void report(benchmark::State& state, const baomi::Bytes& pdf, std::size_t source_bytes) {
  state.counters["pages"] = page_count(pdf);
  state.counters["text_chars_per_page"] =
      static_cast<double>(baomi_bench::code_points(print_text())) / kPages;
  state.counters["source_bytes"] = static_cast<double>(source_bytes);
  state.counters["pdf_bytes"] = static_cast<double>(pdf.size());
  state.counters["first_print_ms"] = first_print_ms();
  state.SetItemsProcessed(state.iterations() * kPages);  // items = pages
}

// Text -> marked 20-page A4 print (header, footer and watermark on every page).
void BM_TypesetPrint20Pages(benchmark::State& state) {
  first_print_ms();
  const std::string& text = print_text();
  const auto marks = print_marks();
  baomi::Bytes pdf;
  for (auto _ : state) {
    auto r = marking::typeset_text_pdf(text, marks);
    if (!r.ok()) {
      state.SkipWithError(r.error().message.c_str());
      return;
    }
    pdf = std::move(*r);
    benchmark::DoNotOptimize(pdf.data());
  }
  if (const int pages = page_count(pdf); pages != kPages) {
    const std::string why = "the text filled " + std::to_string(pages) + " pages, not 20";
    state.SkipWithError(why.c_str());
    return;
  }
  report(state, pdf, text.size());
}
BENCHMARK(BM_TypesetPrint20Pages)->Unit(benchmark::kMillisecond);

// An uploaded 20-page PDF (made by the typesetter, with other marks) -> marked print.
void BM_StampPdf20Pages(benchmark::State& state) {
  first_print_ms();
  auto source_marks = print_marks();
  source_marks.holder_name = "李四";
  source_marks.serial = "BM-2025-000001-4";
  auto source = marking::typeset_text_pdf(print_text(), source_marks);
  if (!source.ok() || page_count(*source) != kPages) {
    state.SkipWithError("no 20-page source PDF");
    return;
  }
  const auto marks = print_marks();
  baomi::Bytes pdf;
  for (auto _ : state) {
    auto r = marking::stamp_pdf(*source, marks);
    if (!r.ok()) {
      state.SkipWithError(r.error().message.c_str());
      return;
    }
    pdf = std::move(*r);
    benchmark::DoNotOptimize(pdf.data());
  }
  if (page_count(pdf) != kPages) state.SkipWithError("the stamped print is not 20 pages");
  report(state, pdf, source->size());
}
BENCHMARK(BM_StampPdf20Pages)->Unit(benchmark::kMillisecond);

}  // namespace
