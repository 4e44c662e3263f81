// The text layer of a PDF, page by page (S10: the visible serial of a leaked print, and the
// invisible serial run that survives a cut-off footer). Poppler's C++ API does the parsing; a
// PDF it cannot read yields an error value, never an exception. Thread-safe: each call parses
// its own document.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "crypto/types.h"

namespace baomi::marking {

// UTF-8 text of every page in order, including text drawn invisibly (rendering mode 3).
// Error::invalid("invalid_pdf") when the bytes are not a PDF poppler can open (damaged,
// encrypted with a password).
Result<std::vector<std::string>> pdf_page_texts(crypto::BytesView pdf);

}  // namespace baomi::marking
