// Stamping a PDF source as a marked print (S5, S7): every page of an existing PDF gets the same
// header, footer and diagonal watermark as a typeset print, drawn over the page so that
// nothing in the source can cover them. Annotations are flattened into the page (or dropped
// when they have no appearance) and document scripts removed, for the same reason; of the rest
// of the source only what the pages need to be shown is kept (attachments, outline, structure
// tree, thumbnails and application data go). Thread-safe: calls share no state.
#pragma once

#include <cstdint>

#include "core/bytes.h"
#include "core/result.h"
#include "crypto/types.h"
#include "marking/marks.h"

namespace baomi::marking {

// Errors: "artifact_marks" (bad marks), "unsupported_pdf" (not a PDF qpdf can read, no pages,
// or absurd page boxes), "encrypted_pdf" (encrypted sources are refused: the server cannot
// mark what it cannot rewrite); kInternal if the fonts cannot render the marks.
Result<Bytes> stamp_pdf(crypto::BytesView source_pdf, const ArtifactMarks& marks);

// A PDF excerpt (S7): pages [first_page, end_page) of the source, 0-based and half-open like a
// text excerpt [from, to), stamped as stamp_pdf stamps a whole source and numbered as pages of
// the excerpt ("第 1/n 页"). Nothing of the other pages is carried over. Errors:
// "excerpt_out_of_range" when the range is empty (refused before the source is read) or ends
// past the last page, and stamp_pdf's (a source that cannot be read reports those first).
Result<Bytes> stamp_pdf_pages(crypto::BytesView source_pdf, std::uint64_t first_page,
                              std::uint64_t end_page, const ArtifactMarks& marks);

}  // namespace baomi::marking
