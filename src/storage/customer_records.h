// Rows of the customer records (C1 to C5, H4) as storage sees them: the clear columns that
// queries and access checks need (ids, level, categories, times, who) and one sealed box per
// personal field. Blind index rows hold keyed hashes only; contact entries are sealed whole.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "core/bytes.h"

namespace baomi::storage {

// One sealed box per personal field, in policy::CustomerField order (name, phone, id_number,
// qq, email, account, address, products, notes); an empty Bytes means the field is unset.
inline constexpr std::size_t kCustomerSealedFields = 9;

struct CustomerRow {
  std::string id;
  std::string level;       // level name
  std::string categories;  // comma-separated category names
  std::int64_t created_at_us = 0;
  std::int64_t updated_at_us = 0;
  std::string created_by;
  std::uint64_t revision = 0;  // grows by one with every update (optimistic concurrency)
  Bytes wrapped_key;           // the record's data key, wrapped under a KEK
  std::array<Bytes, kCustomerSealedFields> sealed;
  std::string mac;  // row MAC over every column above
};

// Exact-match search: the keyed BLAKE2b of a normalised field value (never the value).
struct CustomerIndexRow {
  std::string field;  // "phone", "id_number", "qq", "account", "email"
  std::string value;  // Barrier::blind_index(field, normalised value)
  std::string customer_id;
};

// C5: one append-only contact log entry. `handled_by` and `created_at_us` are clear so that
// weekly reports per staff member (H4) are an index range scan.
struct ContactRow {
  std::string id;
  std::string customer_id;
  std::uint64_t seq = 0;  // 1, 2, 3, ... per customer
  std::int64_t created_at_us = 0;
  std::string handled_by;
  Bytes sealed_body;  // {channel, type, content, corrects?} under the customer's data key
  std::string mac;
};

}  // namespace baomi::storage
