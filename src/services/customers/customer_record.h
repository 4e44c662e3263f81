// Customer records as stored, declared once for the sealed-record layer (C1 to C5, H4):
// - `customers`: the clear columns queries and access checks need (id, level, categories,
//   times, creator, revision) and one sealed column per personal field under the record's own
//   data key; the MAC binds the level to the sealed fields, so a database editor can neither
//   lower a record's level nor roll one field back, and the record ledger keeps them from
//   putting back a whole older row (an older, lower level: I1);
// - `customer_contacts`: the append-only contact log (C5), each entry's body sealed under its
//   customer's data key, with `handled_by` and `created_at` clear for the weekly reports (H4);
// - `customer_index`: keyed blind indexes of the searchable fields. Plain rows, not sealed
//   records: they hold keyed hashes only and decide nothing; a search opens every record an
//   index row names and keeps it only if the record itself has the searched value, so an
//   edited or replayed index row can hide a record from search, never show or grant one.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "barrier/record_type.h"
#include "core/time.h"
#include "policy/model.h"
#include "services/customers/customer.h"

namespace baomi::services {

struct CustomerRecord {
  std::string id;
  std::string level;       // level name
  std::string categories;  // comma-separated category names
  TimePoint created_at;
  TimePoint updated_at;
  std::string created_by;
  std::uint64_t revision = 0;
  CustomerFields fields;  // "" = unset: an empty column, nothing sealed
};

const barrier::RecordType<CustomerRecord>& customer_record_type();
const barrier::RecordType<ContactEntry>& contact_record_type();
// Rows (field, value, customer_id): value = Barrier::blind_index("customer.<field>", ...).
const barrier::Table& customer_index_table();

}  // namespace baomi::services
