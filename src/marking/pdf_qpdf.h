// The parts of marking/ that call qpdf, behind plain byte pointers. Internal to marking/: the
// public entry points (pdf_stamp.h, pdf_hidden_mark.h) check their arguments and call these.
// This header and the files that implement it (the only ones that include qpdf) use nothing
// newer than C++17: qpdf 11's headers do not compile under clang in C++20 mode, so the clang
// fuzz build compiles those files as C++17 (CMakeLists.txt, fuzz/README.md). Thread-safe: calls
// share no state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/bytes.h"
#include "core/result.h"
#include "marking/marks.h"

namespace baomi::marking::pdf {

// The source pages an artifact keeps: [first, end), or every page.
struct PageRange {
  std::uint64_t first = 0;
  std::uint64_t end = 0;
  bool all = true;
};

// "excerpt_out_of_range": the page range is empty or ends past the last page.
Error page_range_error();

// Opens the source and stamps the pages in `range` with valid `marks` (pdf_stamp.h says what
// stamping does). Errors: unsupported_pdf, encrypted_pdf, excerpt_out_of_range; whatever qpdf
// throws becomes one of them.
Result<Bytes> stamp_source(const std::uint8_t* data, std::size_t size, PageRange range,
                           const ArtifactMarks& marks);

// `pdf` with `token` written invisibly three times on every page (pdf_hidden_mark.h).
// Errors: unsupported_pdf.
Result<Bytes> write_hidden_token(const std::uint8_t* data, std::size_t size,
                                 const std::string& token);

}  // namespace baomi::marking::pdf
