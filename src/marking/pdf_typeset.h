// Typesetting a text source as a marked print (S5, S7): plain UTF-8 text becomes an A4 PDF in
// Noto Serif CJK SC, wrapped and paged, and every page carries the header, footer and
// diagonal watermark drawn by PageMarker. The output is a function of the inputs (fixed
// metadata dates), so two calls with the same arguments give the same bytes.
// Thread-safe: calls share no state (Pango keeps one font map per thread).
#pragma once

#include <cstddef>
#include <string_view>

#include "core/bytes.h"
#include "core/result.h"
#include "marking/marks.h"

namespace baomi::marking {

// Largest text accepted for typesetting; beyond it → kTooLarge "text_too_large".
inline constexpr std::size_t kMaxTypesetBytes = 8 * 1024 * 1024;

// Errors: "artifact_marks" (bad marks), "invalid_text" (not UTF-8, or contains NUL),
// "text_too_large"; kInternal if the fonts cannot render the marks.
Result<Bytes> typeset_text_pdf(std::string_view utf8_text, const ArtifactMarks& marks);

}  // namespace baomi::marking
