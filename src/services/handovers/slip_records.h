// Handover slips as stored (H1-H3, I1), declared once for the sealed-record layer
// (barrier/record_type.h). Three tables, same layout and MAC bytes as before the record layer:
//  - handovers: the slip (services::Slip itself). Only what lists and access checks need is
//    clear; confirmations and hold reasons are sealed under the slip's own data key
//    ("handover:<id>"). The MAC covers every column, the wrapped key and the sealed bytes too.
//  - handover_versions: one per version of the content (I1: corrections are new versions),
//    sealed under the slip's data key, with the content hash and the previous one in clear.
//  - handover_copies: H1, one bound copy per receiving department and version; only the
//    acknowledgement ever changes.
// A purge (H3) shreds the slip row and its versions: the data key and every sealed byte are
// emptied, the clear skeleton stays as a MACed tombstone whose write the audit entry of the
// purge commits to, like any other write. The record ledger keeps a database editor from
// putting back an older row (an unconfirmed slip, a released hold, an unacknowledged copy).
#pragma once

#include <optional>
#include <string>

#include "barrier/record_type.h"
#include "services/handovers/slip.h"

namespace baomi::services {

struct SlipVersionRecord {
  std::string slip_id;
  std::uint64_t version = 1;
  std::string author_id;
  TimePoint created_at;
  std::string content_hash;            // H1
  std::string prev_hash;               // I1
  std::optional<SlipContent> content;  // none when read unopened or once purged
};

struct SlipCopyRecord {
  std::string slip_id;
  std::uint64_t version = 1;
  std::string department;
  std::string content_hash;
  std::string acknowledged_by;  // "" until acknowledged
  std::optional<TimePoint> acknowledged_at;
};

const barrier::RecordType<Slip>& slip_record_type();
const barrier::RecordType<SlipVersionRecord>& slip_version_record_type();
const barrier::RecordType<SlipCopyRecord>& slip_copy_record_type();

}  // namespace baomi::services
