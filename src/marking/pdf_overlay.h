// Renders the marks overlay for an existing PDF: one transparent page per source page, of the
// same (displayed) size, carrying that page's header, footer and watermark. The stamper places
// page i of this overlay over page i of the source. Internal to marking/. Thread-safe (no
// shared state).
#pragma once

#include <vector>

#include "core/bytes.h"
#include "core/result.h"
#include "marking/marks.h"

namespace baomi::marking::pdf {

struct PageSize {
  double width = 0;  // points, as displayed (after /Rotate)
  double height = 0;
};

// `marks` must be valid; `pages` non-empty with sizes cairo accepts.
Result<Bytes> render_overlay(const std::vector<PageSize>& pages, const ArtifactMarks& marks);

}  // namespace baomi::marking::pdf
