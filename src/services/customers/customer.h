// Customer and ContactEntry: a customer record (C1, C3) and one entry of its contact log (C5)
// as the services see them (opened), and their conversion to and from storage rows. Every
// personal field is sealed on its own under the record's data key (AD = record id + field
// name); the row MAC binds the clear columns (level, categories, times, revision) to the
// sealed boxes so that a database editor can neither lower a record's level nor roll one
// field back. Blind indexes are keyed hashes of the normalised searchable fields.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "auth/runtime.h"
#include "policy/model.h"
#include "storage/customer_records.h"

namespace baomi::services {

using CustomerFields = std::array<std::string, policy::kCustomerFieldCount>;  // "" = unset

struct Customer {
  std::string id;
  policy::Level level = policy::Level::kInternal;
  policy::CategorySet categories = 0;
  CustomerFields fields;  // normalised values (services/customers/normalise.h)
  TimePoint created_at;
  TimePoint updated_at;
  std::string created_by;
  std::uint64_t revision = 0;  // 0 until stored
  Bytes wrapped_key;           // empty until stored

  const std::string& field(policy::CustomerField f) const {
    return fields[static_cast<std::size_t>(f)];
  }
};

struct ContactEntry {
  std::string id;
  std::string customer_id;
  std::uint64_t seq = 0;
  TimePoint created_at;
  std::string handled_by;
  std::string channel;  // phone | qq | email
  std::string type;     // consultation | complaint | suggestion | fault
  std::string content;
  std::optional<std::string> corrects;  // I1: the entry this one corrects
};

// Opened customer with its data key, for callers that seal more under it (contacts).
struct OpenedCustomer {
  Customer customer;
  crypto::SecretKey key;
};

// Seals `c` (a new data key when c.wrapped_key is empty); c.revision is stored as given.
Result<storage::CustomerRow> seal_customer(const auth::Runtime& rt, const Customer& c);
// kIntegrity when the row or a sealed field was altered.
Result<OpenedCustomer> open_customer(const auth::Runtime& rt, const storage::CustomerRow& row);
// The blind index rows of c's searchable fields.
std::vector<storage::CustomerIndexRow> index_rows(const auth::Runtime& rt, const Customer& c);

Result<storage::ContactRow> seal_contact(const auth::Runtime& rt, const crypto::SecretKey& key,
                                         const ContactEntry& e);
Result<ContactEntry> open_contact(const auth::Runtime& rt, const crypto::SecretKey& key,
                                  const storage::ContactRow& row);

std::string blind_index_of(const auth::Runtime& rt, policy::CustomerField field,
                           std::string_view stored);

}  // namespace baomi::services
