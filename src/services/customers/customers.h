// Customers: customer records (客户信息) end to end: create, read masked or with named fields
// unmasked for a reason, exact search on blind indexes, update, and the append-only contact
// log (C1 to C5, I1). Every allow/deny comes from the policy (kCreateCustomer ...
// kReadContacts, with the subject's department for C1); every read, unmask, search, change
// and refusal is audited, and a read returns only after its audit entry is durable (C4).
// Values in audit entries are field names, ids and keyed hashes, never personal data (C3).
// Thread-safety: safe from any thread; the watch (C4) has its own lock.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/user.h"
#include "services/customers/customer.h"
#include "services/customers/watch.h"

namespace baomi::services {

// A create or update as the client sent it: raw field values (nullopt: absent; "": clear).
struct CustomerInput {
  std::array<std::optional<std::string>, policy::kCustomerFieldCount> fields;
  std::optional<std::string> level;
  std::optional<std::vector<std::string>> categories;
};

// C3: the fields to show in clear and why.
struct UnmaskRequest {
  policy::FieldSet fields = 0;
  std::string reason;
};

// A record as one reader may see it: fields masked except those in `unmasked`.
struct CustomerView {
  Customer customer;
  policy::FieldSet unmasked = 0;
};

struct ContactInput {
  std::string channel;
  std::string type;
  std::string content;
  std::optional<std::string> corrects;
};

class Customers {
 public:
  explicit Customers(const auth::Runtime& rt)
      : rt_(rt), records_(rt), watch_(rt.policy.customers()) {}

  Result<CustomerView> create(const auth::User& actor, const CustomerInput& input) const;
  // Masked; with unmask.fields, those fields in clear (403 unmask_not_allowed when the
  // policy refuses, 400 without a reason). Hidden or unknown records are 404.
  Result<CustomerView> get(const auth::User& actor, const std::string& id,
                           const UnmaskRequest& unmask) const;
  // Exact match on one searchable field (phone, id_number, qq, account, email): the masked
  // records the caller may read.
  Result<std::vector<CustomerView>> search(const auth::User& actor, std::string_view field,
                                           std::string_view value) const;
  // I1: `replace` (PUT) clears fields absent from the input; otherwise (PATCH) they stay.
  Result<CustomerView> update(const auth::User& actor, const std::string& id,
                              const CustomerInput& input, bool replace) const;

  // C5: appends an entry (handled_by = actor, time = now); a correction names the entry it
  // corrects, which must belong to the same customer.
  Result<ContactEntry> add_contact(const auth::User& actor, const std::string& customer_id,
                                   const ContactInput& input) const;
  Result<std::vector<ContactEntry>> contacts(const auth::User& actor,
                                             const std::string& customer_id) const;

 private:
  Result<Customer> load(const auth::User& actor, const std::string& id, policy::Action action,
                        std::string_view audit_action) const;
  Result<void> apply(Customer& c, const CustomerInput& input, bool replace) const;
  // Appends `event` and, when the watch says so, an alert (C4), in one durable transaction.
  Result<void> record_read(const auth::User& actor, audit::AuditEvent event,
                           const std::vector<std::string>& viewed, bool searched,
                           const std::function<Result<void>(barrier::WriteTx&)>& also) const;
  CustomerView view_of(Customer c, policy::FieldSet unmasked) const;
  policy::Subject subject_of(const auth::User& actor) const;

  const auth::Runtime& rt_;
  CustomerRecords records_;
  customers::CustomerWatch watch_;
};

}  // namespace baomi::services
