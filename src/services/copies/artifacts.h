// Rendering the artifact of an issued copy (S5, S7): what the holder takes away, marked with
// the level and term, the holder, the serial and the issue time, and, for text, an invisible
// fingerprint of the serial in every line (marking/fingerprint.h) so that an excerpt pasted
// elsewhere still names its copy; PDFs (prints and copies of PDF documents) carry an invisible
// keyed token of the serial on every page (marking/pdf_hidden_mark.h), which outlives the
// visible marks being cut off. Rendering is a pure function of the copy, the source bytes
// and the key: the same copy always renders to the same bytes, so nothing rendered is stored.
// Thread-safe: no shared state.
#pragma once

#include <string>

#include "crypto/mac_key.h"
#include "crypto/types.h"
#include "marking/marks.h"
#include "services/copies/copy.h"

namespace baomi::services {

enum class SourceFormat : std::uint8_t { kText, kPdf, kOther };

// text/* → kText (must be UTF-8), application/pdf → kPdf, anything else → kOther.
SourceFormat source_format(std::string_view content_type);
// Whether the server can mark artifacts made from a `format` source: text and PDF, for
// every kind (a text excerpt is a range of characters, a PDF excerpt a range of pages).
bool can_mark(SourceFormat format);

struct Artifact {
  std::string content_type;
  std::string filename;
  Bytes bytes;
};

// Largest source the server renders (text is typeset or fingerprinted in memory).
inline constexpr std::size_t kMaxArtifactSource = 8 * 1024 * 1024;

// Errors: kInvalidArgument "excerpt_out_of_range" (the excerpt lies beyond the text),
// "invalid_text" (a text source that is not UTF-8), the marking layer's errors.
Result<Artifact> render_artifact(const Copy& copy, crypto::BytesView source,
                                 const marking::ArtifactMarks& marks,
                                 const crypto::MacKey& fingerprint_key);

// The code points [from, to) of UTF-8 text; excerpt_out_of_range when `to` is past its end.
Result<std::string> excerpt_of(std::string_view utf8_text, const ExcerptRange& range);

}  // namespace baomi::services
