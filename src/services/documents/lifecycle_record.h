// DocumentLifecycle: what decides when a document may be destroyed, and whether it was (S5, H3):
// the retention floor chosen at its creation, a legal hold, and its destruction. Declared once
// for the sealed-record layer in a table of its own ("document_lifecycle"), so that the
// documents table keeps the columns and MAC bytes existing instances wrote. The MAC covers every
// column, so neither a hold nor a destruction can be undone by editing the database, and the
// record ledger refuses an older row put back or a row removed (I1). A document without a row
// (created before retention existed) has only the policy's floor, no hold, and is not destroyed.
#pragma once

#include <optional>
#include <string>

#include "barrier/record_type.h"
#include "core/time.h"

namespace baomi::services {

struct DocumentLifecycle {
  std::string document_id;
  std::optional<TimePoint>
      retain_until;     // the floor chosen at creation (the policy's may be later)
  bool hold = false;    // H3: a legal hold blocks destruction
  std::string hold_by;  // who placed or lifted it last
  std::optional<TimePoint> hold_at;
  std::string hold_reason;                // sealed under the record's own key ("doclife:<id>")
  std::optional<TimePoint> destroyed_at;  // set: every data key of the document is erased
  std::string destroyed_by;
  std::string destroy_request_id;  // the approved destroy request carried out
};

const barrier::RecordType<DocumentLifecycle>& lifecycle_record_type();

}  // namespace baomi::services
