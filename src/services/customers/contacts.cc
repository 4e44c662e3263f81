// Customers: the contact log (C5): append-only entries on a customer, a correction being a
// new entry that names the one it corrects (I1); reading the log is audited (C4).
#include "audit/detail.h"
#include "auth/guard.h"
#include "crypto/random.h"
#include "services/customers/customers.h"
#include "services/customers/normalise.h"

namespace baomi::services {
namespace {

constexpr std::size_t kMaxContent = 10000;

std::string contact_target(const std::string& id) { return "customer:" + id; }

bool one_of(std::string_view v, std::initializer_list<std::string_view> names) {
  for (auto n : names) {
    if (v == n) return true;
  }
  return false;
}

Result<void> check_contact(const ContactInput& in) {
  if (!one_of(in.channel, {"phone", "qq", "email"})) {
    return Error::invalid("invalid_field", "field 'channel' must be phone, qq or email");
  }
  if (!one_of(in.type, {"consultation", "complaint", "suggestion", "fault"})) {
    return Error::invalid("invalid_field",
                          "field 'type' must be consultation, complaint, suggestion or fault");
  }
  if (in.content.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Error::invalid("invalid_field", "field 'content' must not be empty");
  }
  if (customers::code_points(in.content) > kMaxContent) {
    return Error::invalid("invalid_field", "field 'content' must be at most 10000 characters");
  }
  return {};
}

}  // namespace

Result<ContactEntry> Customers::add_contact(const auth::User& actor, const std::string& customer_id,
                                            const ContactInput& input) const {
  BAOMI_TRY(check_contact(input));
  BAOMI_TRY(load(actor, customer_id, policy::Action::kAddContact, "customer.contact_add"));
  const auto now = rt_.now();
  ContactEntry e;
  e.id = crypto::random_id();
  e.customer_id = customer_id;
  e.created_at = now;
  e.handled_by = actor.id;  // C5: whoever records the call handled it
  e.channel = input.channel;
  e.type = input.type;
  e.content = input.content;
  e.corrects = input.corrects;
  BAOMI_TRY(rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    if (e.corrects) {
      BAOMI_ASSIGN_OR_RETURN(auto corrected, records_.contact(tx, *e.corrects));
      if (!corrected || corrected->customer_id != customer_id) {
        return Error::invalid("invalid_field",
                              "field 'corrects' must name an entry of this customer's log");
      }
    }
    BAOMI_ASSIGN_OR_RETURN(auto last, records_.last_contact_seq(tx, customer_id));
    e.seq = last + 1;
    BAOMI_TRY(records_.append_contact(tx, e));
    audit::Detail detail;
    detail.add("contact_id", e.id).add("seq", e.seq).add("channel", e.channel).add("type", e.type);
    if (e.corrects) detail.add("corrects", *e.corrects);
    BAOMI_TRY(rt_.audit.append(
        tx, {actor.id, "customer.contact_add", contact_target(customer_id), "allow", "C5", detail},
        now));
    return {};
  }));
  return e;
}

Result<std::vector<ContactEntry>> Customers::contacts(const auth::User& actor,
                                                      const std::string& customer_id) const {
  BAOMI_TRY(load(actor, customer_id, policy::Action::kReadContacts, "customer.contacts_read"));
  std::vector<ContactEntry> entries;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(entries, records_.contacts(tx, customer_id));
    return {};
  }));
  BAOMI_TRY(record_read(actor,
                        {actor.id, "customer.contacts_read", contact_target(customer_id), "allow",
                         "C5", audit::Detail{}.add("entries", entries.size())},
                        {customer_id}, false, nullptr));
  return entries;
}

}  // namespace baomi::services
