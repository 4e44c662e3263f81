// ViewRecord: which reader a fingerprinted text view was made for (S7, S10). A text view carries
// its view id as an invisible fingerprint; the record, stored in the transaction that audits the
// view, turns a view id decoded from leaked text into the reader, the version and the audit
// entry without searching the trail. Sealed object, kind "view", id = the view id (16 hex
// digits), clear owner = the reader. Plain value type; thread-safe as a value.
#pragma once

#include <cstdint>
#include <string>

#include "services/workflow/sealed_objects.h"

namespace baomi::services {

inline constexpr std::string_view kViewKind = "view";

struct ViewRecord {
  std::string view_id;
  std::string document_id;
  std::uint64_t version = 0;
  std::string reader_id;
  std::uint64_t audit_seq = 0;  // the document.read_content entry of this view
  TimePoint viewed_at;
};

// The view id a text view's fingerprint carries: its 64-bit number as 16 lowercase hex digits.
std::string view_id_of(std::uint64_t number);

StoredObject to_object(const ViewRecord& view);
Result<ViewRecord> view_record_from_object(const StoredObject& object);

}  // namespace baomi::services
