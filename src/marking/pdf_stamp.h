// Stamping a PDF source as a marked print (S5, S7): every page of an existing PDF gets the same
// header, footer and diagonal watermark as a typeset print, drawn over the page so that
// nothing in the source can cover them. Annotations are flattened into the page (or dropped
// when they have no appearance) and document scripts removed, for the same reason.
// Thread-safe: calls share no state.
#pragma once

#include "core/bytes.h"
#include "core/result.h"
#include "crypto/types.h"
#include "marking/marks.h"

namespace baomi::marking {

// Errors: "artifact_marks" (bad marks), "unsupported_pdf" (not a PDF qpdf can read, no pages,
// or absurd page boxes), "encrypted_pdf" (encrypted sources are refused: the server cannot
// mark what it cannot rewrite); kInternal if the fonts cannot render the marks.
Result<Bytes> stamp_pdf(crypto::BytesView source_pdf, const ArtifactMarks& marks);

}  // namespace baomi::marking
