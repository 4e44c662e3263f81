// The hidden mark of a PDF artifact (S7, S10): an invisible text run (rendering mode 3: neither
// filled nor stroked, so nothing shows on screen or paper) carrying a keyed token of the copy's
// serial, written three times on every page, at a quarter, half and three quarters of its
// height. Cutting off the visible header and footer, or cropping a band of the page, leaves
// the token in the text layer; text extraction (poppler, pdftotext, copy and paste from a
// viewer) still returns it. The token is "bmk:" + 16 hex digits of the payload + 12 hex digits
// of a 48-bit tag (keyed BLAKE2b, domain "baomi.pdfmark.v1", the copy fingerprint key): the
// serial does not appear in clear, so a holder searching the file for their serial does not
// find it, and nobody without the key can forge one naming another copy.
// Design and limits: docs/fingerprint.md. Stateless; safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "crypto/mac_key.h"
#include "crypto/types.h"

namespace baomi::marking {

// The token for `payload` under `key`.
std::string pdf_mark_token(std::uint64_t payload, const crypto::MacKey& key);

// `pdf` with the token written invisibly on every page. Errors: unsupported_pdf when qpdf
// cannot process it (the caller produced it, so this is a bug or a resource limit).
Result<Bytes> add_hidden_mark(crypto::BytesView pdf, std::uint64_t payload,
                              const crypto::MacKey& key);

// Every payload whose authenticated token appears in `text` (each once, in order of first
// appearance).
std::vector<std::uint64_t> find_pdf_marks(std::string_view text, const crypto::MacKey& key);

}  // namespace baomi::marking
