// PDF stamping of uploaded PDFs (marking/pdf_stamp: qpdf to read and rewrite, cairo to draw the
// marks): what a print or PDF copy does to a document's bytes. Properties: no crash, no leak, no
// hang; every refusal is one of the documented error codes; a stamped result is itself a PDF
// that stamps again.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_input.h"
#include "marking/pdf_overlay.h"
#include "marking/pdf_stamp.h"

namespace {

const baomi::marking::ArtifactMarks& marks() {
  static const baomi::marking::ArtifactMarks m{
      "秘密★2030-12-31", "李娜", "u-li.na", "BM-000042-7", "2026-12-06T09:00:00Z", "报告"};
  return m;
}

bool documented(const std::string& code) {
  return code == "unsupported_pdf" || code == "encrypted_pdf" || code == "excerpt_out_of_range";
}

}  // namespace

#ifndef LLVMFuzzerTestOneInput  // libFuzzer (the replay build renames the entry point)
// The first drawing loads fontconfig and the CJK font (tens of seconds on a loaded machine, which
// a campaign once reported as a 10 s timeout on its first stamped input): done once here, before
// inputs are timed.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)baomi::marking::pdf::render_overlay({{595, 842}}, marks());
  return 0;
}
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace baomi;
  if (size > 64 * 1024) return 0;  // bounded per run; big files are the benchmarks' job
  fuzz::FuzzInput in(data, size);
  const std::uint8_t mode = in.byte();
  const std::string_view pdf = in.rest();
  const crypto::BytesView bytes(reinterpret_cast<const std::uint8_t*>(pdf.data()), pdf.size());
  auto out = (mode & 1) ? marking::stamp_pdf_pages(bytes, mode >> 5,
                                                   (mode >> 5) + 1 + (mode >> 1) % 4, marks())
                        : marking::stamp_pdf(bytes, marks());
  if (!out) {
    const auto& e = out.error();
    fuzz::check(documented(e.code) || e.kind == ErrorKind::kInternal, "undocumented error code");
    return 0;
  }
  auto again = marking::stamp_pdf(*out, marks());
  fuzz::check(again.ok(), "a stamped PDF does not stamp again");
  return 0;
}
