// The public entry points of PDF stamping (pdf_stamp.h): the marks and the page range are
// checked here, before any byte of the source is read; the qpdf work is pdf_qpdf.h's.
#include "marking/pdf_qpdf.h"
#include "marking/pdf_stamp.h"

namespace baomi::marking {

Result<Bytes> stamp_pdf(crypto::BytesView source_pdf, const ArtifactMarks& marks) {
  BAOMI_TRY(validate_marks(marks));
  return pdf::stamp_source(source_pdf.data(), source_pdf.size(), pdf::PageRange{}, marks);
}

Result<Bytes> stamp_pdf_pages(crypto::BytesView source_pdf, std::uint64_t first_page,
                              std::uint64_t end_page, const ArtifactMarks& marks) {
  BAOMI_TRY(validate_marks(marks));
  if (first_page >= end_page) return pdf::page_range_error();
  return pdf::stamp_source(source_pdf.data(), source_pdf.size(),
                           pdf::PageRange{first_page, end_page, false}, marks);
}

}  // namespace baomi::marking
