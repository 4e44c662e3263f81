// LeakTracer: what a leaked artifact was taken from (S10). It reads every channel Baomi marks
// artifacts with and turns each mark into the copy, view or export it names, by direct lookup
// of the decoded serial or view id (never by scanning issued copies):
//   - text: the invisible fingerprints of copies and of views, each with its byte range (a
//     paste from several sources yields all of them), the visible-form channel of text copies
//     (decoded straight to a serial: it survives the invisible symbols being stripped), and
//     every serial written in the text;
//   - CSV and text: the customer-export trace (serial#row tags and canary records), by the
//     customers service's own code;
//   - PDF: every serial in the text layer of each page (the visible footer), with its page.
// An artifact with no mark gives no matches, not an error. Thread-safety: stateless apart from
// the Runtime and the export tracer; safe from any thread.
#pragma once

#include <vector>

#include "auth/user.h"
#include "crypto/types.h"
#include "services/customers/customer_export.h"
#include "services/investigations/investigation.h"

namespace baomi::services {

enum class ArtifactFormat : std::uint8_t { kText, kCsv, kPdf };

// text/plain → kText, text/csv → kCsv, application/pdf → kPdf (parameters ignored); nullopt
// for anything else.
std::optional<ArtifactFormat> artifact_format(std::string_view content_type);

class LeakTracer {
 public:
  LeakTracer(const auth::Runtime& rt, const CustomerExports& exports)
      : rt_(rt), exports_(exports), objects_(rt) {}

  // `actor` is the auditor (the export trace checks and audits its own use). Errors: a PDF
  // that cannot be read (invalid_pdf), storage and integrity failures.
  Result<std::vector<LeakMatch>> trace(const auth::User& actor, ArtifactFormat format,
                                       crypto::BytesView artifact) const;

 private:
  Result<void> trace_text(std::string_view text, std::vector<LeakMatch>& out) const;
  Result<void> trace_visible_forms(barrier::ReadTx& tx, std::string_view text,
                                   std::vector<LeakMatch>& out) const;
  Result<void> trace_exports(const auth::User& actor, std::string_view text,
                             std::vector<LeakMatch>& out) const;
  Result<void> trace_pdf(crypto::BytesView pdf, std::vector<LeakMatch>& out) const;
  // The copy a serial names, as a match (nullopt when no such copy was issued).
  Result<std::optional<LeakMatch>> copy_match(barrier::ReadTx& tx, std::uint64_t number) const;
  const auth::Runtime& rt_;
  const CustomerExports& exports_;
  SealedObjects objects_;
};

}  // namespace baomi::services
