// Investigation, Evidence and LeakMatch: a leak investigation (S10), the leaked artifacts added
// to it and what each was traced to. Sealed objects: kind "investigation" (clear state
// open/closed, owner = the auditor who opened it; title, reason, finding and the documents in
// the sealed body) and kind "investigation_evidence" (clear owner = the case id, so a case's
// evidence is listed by index; the artifact's own sealed blob, its hash and its matches in the
// body). Plain value types; thread-safe as values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "services/workflow/sealed_objects.h"

namespace baomi::services {

inline constexpr std::string_view kInvestigationKind = "investigation";
inline constexpr std::string_view kEvidenceKind = "investigation_evidence";

struct Investigation {
  std::string id;
  std::string title;
  std::string reason;
  std::vector<std::string> document_ids;
  std::string opened_by;
  TimePoint opened_at;
  bool open = true;
  std::optional<std::string> finding;
  std::optional<std::string> closed_by;
  std::optional<TimePoint> closed_at;
  std::uint64_t revision = 0;
};

// How a match was found: the invisible text fingerprint, the serial printed on the artifact,
// a planted canary record, or the serial#row tag of an export row.
enum class TraceMethod : std::uint8_t { kFingerprint, kVisibleSerial, kCanary, kExportRow };
// What it names: an issued copy (copy, print, excerpt, export of a document), a text view, or
// an export of customer records.
enum class TraceKind : std::uint8_t { kCopy, kView, kExport };

std::string_view trace_method_name(TraceMethod method);
std::string_view trace_kind_name(TraceKind kind);

struct LeakMatch {
  TraceMethod method = TraceMethod::kFingerprint;
  TraceKind kind = TraceKind::kCopy;
  std::string serial;       // copies and exports
  std::string view_id;      // views
  std::string document_id;  // "" for an export of customer records
  std::uint64_t version = 0;
  std::string holder_id;                   // the copy's holder or the view's reader
  TimePoint at;                            // issued_at of a copy, viewed_at of a view
  std::optional<std::uint64_t> audit_seq;  // the audit entry of the view
  std::string evidence;                    // a sentence saying what was found and where
  // Where in the artifact: a byte range of the text, and for a PDF its page (1-based).
  std::optional<std::size_t> from;
  std::optional<std::size_t> to;
  std::optional<std::size_t> page;
};

struct Evidence {
  std::string id;
  std::string investigation_id;
  std::string content_type;
  std::string note;
  std::uint64_t size = 0;
  std::string sha256;  // lowercase hex of the artifact as received
  std::uint64_t chunk_count = 0;
  Bytes wrapped_key;  // the artifact blob's data key, wrapped (barrier::encode)
  std::string added_by;
  TimePoint added_at;
  std::vector<LeakMatch> matches;
};

StoredObject to_object(const Investigation& investigation);
Result<Investigation> investigation_from_object(const StoredObject& object);
StoredObject to_object(const Evidence& evidence);
Result<Evidence> evidence_from_object(const StoredObject& object);

}  // namespace baomi::services
