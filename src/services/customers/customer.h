// Customer and ContactEntry: a customer record (C1, C3) and one entry of its contact log (C5)
// as the services see them (opened), and CustomerRecords, the one way to store and load them.
// Sealing, blind indexes, row MACs and the rollback check (I1) happen below, in the
// sealed-record layer (services/customers/customer_record.h declares the tables).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "auth/runtime.h"
#include "barrier/transaction.h"
#include "policy/model.h"

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

// Thread-safety: stateless apart from the Runtime; use from any thread, inside a Tx's job.
// Reads are kIntegrity when a stored row was altered or is not its latest version (I1).
class CustomerRecords {
 public:
  explicit CustomerRecords(const auth::Runtime& rt) : rt_(rt) {}

  Result<std::optional<Customer>> get(barrier::ReadTx& tx, const std::string& id) const;
  // C2: customers in id order after `after_id` ("" = from the start), at most `limit`.
  Result<std::vector<Customer>> list(barrier::ReadTx& tx, const std::string& after_id,
                                     std::size_t limit) const;
  // Ids of the customers whose searchable `field` has the stored form `value` (an exact match
  // on its blind index), in id order, at most `limit`. Callers open each and check it.
  Result<std::vector<std::string>> find(barrier::ReadTx& tx, policy::CustomerField field,
                                        std::string_view value, std::size_t limit) const;
  // Stores a new customer (revision becomes 1) and its blind indexes.
  Result<void> insert(barrier::WriteTx& tx, Customer& c) const;
  // Stores the changed customer over the revision it was read at (conflict when it moved;
  // the revision grows by one) and replaces its blind indexes.
  Result<void> update(barrier::WriteTx& tx, Customer& c) const;

  // C5: the log of one customer in seq order; one entry; the highest seq (0: none yet).
  Result<std::vector<ContactEntry>> contacts(barrier::ReadTx& tx,
                                             const std::string& customer_id) const;
  Result<std::optional<ContactEntry>> contact(barrier::ReadTx& tx, const std::string& id) const;
  Result<std::uint64_t> last_contact_seq(barrier::ReadTx& tx, const std::string& customer_id) const;
  // C5: append only (conflict when the customer's seq is taken); there is no update or delete.
  Result<void> append_contact(barrier::WriteTx& tx, ContactEntry& e) const;
  // H4: the entries `handled_by` recorded in [from, to), by time then id (an index range scan).
  Result<std::vector<ContactEntry>> contacts_handled_by(barrier::ReadTx& tx,
                                                        const std::string& handled_by,
                                                        TimePoint from, TimePoint to) const;

 private:
  Result<void> index(barrier::WriteTx& tx, const Customer& c) const;

  const auth::Runtime& rt_;
};

std::string blind_index_of(const auth::Runtime& rt, policy::CustomerField field,
                           std::string_view stored);

}  // namespace baomi::services
