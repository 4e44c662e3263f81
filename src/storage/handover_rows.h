// Rows of handover slips (工作交接单, RULES.md H1-H3, I1, I2) as storage sees them. Only what
// lists and access checks need is clear (ids, author, shift, state, deadlines, hold flag,
// content hashes, acknowledgements); the items, notes, reasons and confirmations are sealed
// bytes under the slip's own data key. Purging a slip (H3) empties `wrapped_key` and every
// `sealed` column: the clear skeleton stays as a tombstone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/bytes.h"

namespace baomi::storage {

// One row per slip (its whole version chain).
struct HandoverRow {
  std::string id;
  std::string author_id;
  std::string shift_date;  // YYYY-MM-DD, the centre's local date
  std::string shift_name;  // a name of policy.handovers().shifts
  std::string state;       // issued | acknowledged | confirmed | overdue | purged
  std::uint64_t current_version = 1;
  std::int64_t created_at_us = 0;
  std::int64_t updated_at_us = 0;
  std::int64_t due_at_us = 0;  // H2: the end of the confirmation day (exclusive)
  std::optional<std::int64_t> confirmed_at_us;
  std::optional<std::int64_t> retain_until_us;  // H3: confirmation + retention months
  bool hold = false;                            // H3: a legal hold blocks purging
  std::string carried_from;                     // the slip whose open items this one carries
  std::string alert_id;                         // the one "handover_overdue" alert, if raised
  std::uint64_t revision = 0;                   // grows by one with every update
  Bytes wrapped_key;                            // the slip's data key; empty once purged
  Bytes sealed;  // confirmations and hold reasons of the slip; empty once purged
  std::string mac;
};

// One row per version of a slip's content (I1: corrections are new versions).
struct HandoverVersionRow {
  std::string slip_id;
  std::uint64_t version = 1;
  std::string author_id;  // who wrote this version (the author, or a correcting supervisor)
  std::int64_t created_at_us = 0;
  std::string content_hash;  // H1: SHA-256 hex of the canonical content
  std::string prev_hash;     // I1: the previous version's content hash; empty for version 1
  Bytes sealed;              // the content; empty once purged
  std::string mac;
};

// H1: one bound copy per receiving department and version. Only the acknowledgement columns
// ever change; the content hash is written once.
struct HandoverCopyRow {
  std::string slip_id;
  std::uint64_t version = 1;
  std::string department;
  std::string content_hash;
  std::string acknowledged_by;  // empty until acknowledged
  std::optional<std::int64_t> acknowledged_at_us;
  std::string mac;
};

// Filters for listing slips; unset fields do not filter. Ordered by id, ids > after_id.
// `overdue_at_us` makes the state filter judge deadlines as of that time: "overdue" also
// matches open slips past due_at, and "issued"/"acknowledged" only those not yet due.
struct HandoverQuery {
  std::optional<std::string> state;
  std::optional<std::string> department;  // slips with a copy for it (current version)
  std::optional<bool> acknowledged;       // with `department`: that copy's acknowledgement
  std::optional<std::string> shift_date;
  std::optional<std::string> shift_name;
  std::optional<std::string> author_id;
  std::optional<std::string> carried_from;
  bool with_alert = false;   // only slips that raised an overdue alert
  bool lapsed_only = false;  // only slips stored as issued/acknowledged and past due (sweep)
  std::int64_t overdue_at_us = 0;
  std::string after_id;
  std::size_t limit = 100;
};

}  // namespace baomi::storage
