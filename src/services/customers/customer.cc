#include "services/customers/customer.h"

#include "auth/user.h"
#include "barrier/blind_index.h"
#include "barrier/records.h"
#include "services/customers/customer_record.h"
#include "services/customers/normalise.h"

namespace baomi::services {
namespace {

using barrier::Compare;
using policy::CustomerField;

constexpr std::size_t kCustomerPage = 512;

barrier::Records<CustomerRecord> customers_of(const auth::Runtime& rt) {
  return barrier::Records<CustomerRecord>(rt.barrier, customer_record_type());
}

barrier::Records<ContactEntry> contact_records(const auth::Runtime& rt) {
  return barrier::Records<ContactEntry>(rt.barrier, contact_record_type());
}

CustomerRecord customer_to_record(const policy::Policy& policy, const Customer& c) {
  CustomerRecord r;
  r.id = c.id;
  r.level = std::string(policy.level_name(c.level));
  r.categories = auth::join(policy.category_names(c.categories));
  r.created_at = c.created_at;
  r.updated_at = c.updated_at;
  r.created_by = c.created_by;
  r.revision = c.revision;
  r.fields = c.fields;
  return r;
}

Result<Customer> customer_from_record(const policy::Policy& policy, CustomerRecord r) {
  Customer c;
  c.id = std::move(r.id);
  const auto level = policy.level_from_name(r.level);
  if (!level) return Error::integrity("customer " + c.id + " has an unknown level");
  c.level = *level;
  auto cats = policy.category_set(auth::split(r.categories));
  if (!cats.ok()) return Error::integrity("customer " + c.id + " has an unknown category");
  c.categories = *cats;
  c.created_at = r.created_at;
  c.updated_at = r.updated_at;
  c.created_by = std::move(r.created_by);
  c.revision = r.revision;
  c.fields = std::move(r.fields);
  return c;
}

// Appends the scan's rows to `out`; whether the page was full (more may follow).
Result<bool> append_page(const barrier::Records<ContactEntry>& contacts, barrier::ReadTx& tx,
                         const barrier::Scan& scan, std::vector<ContactEntry>& out) {
  BAOMI_ASSIGN_OR_RETURN(auto page, contacts.scan(tx, scan));
  const bool full = page.size() == scan.limit;
  for (auto& e : page) out.push_back(std::move(e));
  return full;
}

}  // namespace

std::string blind_index_of(const auth::Runtime& rt, CustomerField field, std::string_view stored) {
  return rt.barrier.blind_index("customer." + std::string(policy::customer_field_api_name(field)),
                                customers::index_form(field, stored));
}

Result<std::optional<Customer>> CustomerRecords::get(barrier::ReadTx& tx,
                                                     const std::string& id) const {
  BAOMI_ASSIGN_OR_RETURN(auto record, customers_of(rt_).get(tx, {id}));
  if (!record) return std::optional<Customer>();
  BAOMI_ASSIGN_OR_RETURN(auto c, customer_from_record(rt_.policy, std::move(*record)));
  return std::optional<Customer>(std::move(c));
}

Result<std::vector<Customer>> CustomerRecords::list(barrier::ReadTx& tx,
                                                    const std::string& after_id,
                                                    std::size_t limit) const {
  barrier::Scan scan;
  scan.where.push_back({"id", Compare::kGreater, after_id});
  scan.order_by = {"id"};
  scan.limit = limit;
  BAOMI_ASSIGN_OR_RETURN(auto records, customers_of(rt_).scan(tx, scan));
  std::vector<Customer> out;
  out.reserve(records.size());
  for (auto& r : records) {
    BAOMI_ASSIGN_OR_RETURN(auto c, customer_from_record(rt_.policy, std::move(r)));
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::vector<std::string>> CustomerRecords::find(barrier::ReadTx& tx, CustomerField field,
                                                       std::string_view value,
                                                       std::size_t limit) const {
  return barrier::BlindIndex(customer_index_table())
      .find(tx, std::string(policy::customer_field_api_name(field)),
            blind_index_of(rt_, field, value), limit);
}

Result<void> CustomerRecords::index(barrier::WriteTx& tx, const Customer& c) const {
  std::vector<std::pair<std::string, std::string>> entries;
  for (int i = 0; i < policy::kCustomerFieldCount; ++i) {
    const auto f = static_cast<CustomerField>(i);
    if (!customers::is_searchable(f) || c.field(f).empty()) continue;
    entries.emplace_back(policy::customer_field_api_name(f), blind_index_of(rt_, f, c.field(f)));
  }
  return barrier::BlindIndex(customer_index_table()).replace(tx, c.id, entries);
}

Result<void> CustomerRecords::insert(barrier::WriteTx& tx, Customer& c) const {
  auto record = customer_to_record(rt_.policy, c);
  BAOMI_TRY(customers_of(rt_).insert(tx, record));
  c.revision = record.revision;
  return index(tx, c);
}

Result<void> CustomerRecords::update(barrier::WriteTx& tx, Customer& c) const {
  auto record = customer_to_record(rt_.policy, c);
  BAOMI_TRY(customers_of(rt_).update(tx, record));
  c.revision = record.revision;
  return index(tx, c);
}

Result<std::vector<ContactEntry>> CustomerRecords::contacts(barrier::ReadTx& tx,
                                                            const std::string& customer_id) const {
  const auto contacts = contact_records(rt_);
  barrier::Scan scan;
  scan.where.push_back({"customer_id", Compare::kEqual, customer_id});
  scan.where.push_back({"seq", Compare::kGreater, std::int64_t{0}});
  scan.order_by = {"seq"};
  scan.limit = kCustomerPage;
  std::vector<ContactEntry> out;
  for (;;) {
    BAOMI_ASSIGN_OR_RETURN(bool more, append_page(contacts, tx, scan, out));
    if (!more) return out;
    scan.where[1].value = static_cast<std::int64_t>(out.back().seq);
  }
}

Result<std::optional<ContactEntry>> CustomerRecords::contact(barrier::ReadTx& tx,
                                                             const std::string& id) const {
  return contact_records(rt_).get(tx, {id});
}

Result<std::uint64_t> CustomerRecords::last_contact_seq(barrier::ReadTx& tx,
                                                        const std::string& customer_id) const {
  barrier::Scan scan;
  scan.where.push_back({"customer_id", Compare::kEqual, customer_id});
  scan.order_by = {"seq"};
  scan.descending = true;
  scan.limit = 1;
  BAOMI_ASSIGN_OR_RETURN(auto last, contact_records(rt_).scan(tx, scan));
  return last.empty() ? std::uint64_t{0} : last.front().seq;
}

Result<void> CustomerRecords::append_contact(barrier::WriteTx& tx, ContactEntry& e) const {
  return contact_records(rt_).insert(tx, e);
}

Result<std::vector<ContactEntry>> CustomerRecords::contacts_handled_by(
    barrier::ReadTx& tx, const std::string& handled_by, TimePoint from, TimePoint to) const {
  const auto contacts = contact_records(rt_);
  // H4: a range scan on the (handled_by, created_at) index, paged by (created_at, id).
  barrier::Scan later;
  later.where = {{"handled_by", Compare::kEqual, handled_by},
                 {"created_at", Compare::kGreaterOrEqual, to_micros(from)},
                 {"created_at", Compare::kLess, to_micros(to)}};
  later.order_by = {"created_at", "id"};
  later.limit = kCustomerPage;
  std::vector<ContactEntry> out;
  for (;;) {
    BAOMI_ASSIGN_OR_RETURN(bool more, append_page(contacts, tx, later, out));
    if (!more) return out;
    // The rest of the last page's instant, then what comes after it.
    const auto at = to_micros(out.back().created_at);
    barrier::Scan same;
    same.where = {{"handled_by", Compare::kEqual, handled_by},
                  {"created_at", Compare::kEqual, at},
                  {"id", Compare::kGreater, out.back().id}};
    same.order_by = {"id"};
    same.limit = kCustomerPage;
    for (bool rest = true; rest;) {
      BAOMI_ASSIGN_OR_RETURN(rest, append_page(contacts, tx, same, out));
      same.where[2].value = out.back().id;
    }
    later.where[1] = {"created_at", Compare::kGreater, at};
  }
}

}  // namespace baomi::services
