// Customers: reading one record (masked, or named fields unmasked for a reason), exact search
// on blind indexes, and the audit entry and watch (C4) that every read goes through.
#include <boost/json.hpp>

#include "audit/detail.h"
#include "auth/guard.h"
#include "crypto/random.h"
#include "services/customers/customers.h"
#include "services/customers/normalise.h"
#include "services/customers/watch_store.h"
#include "services/workflow/sealed_objects.h"

namespace baomi::services {
namespace {

using policy::CustomerField;

constexpr std::size_t kMaxSearchHits = 50;

std::string read_target(const std::string& id) { return "customer:" + id; }

std::vector<std::string> read_field_names(policy::FieldSet set) {
  std::vector<std::string> out;
  for (int i = 0; i < policy::kCustomerFieldCount; ++i) {
    const auto f = static_cast<CustomerField>(i);
    if (set & policy::field_bit(f)) out.emplace_back(policy::customer_field_api_name(f));
  }
  return out;
}

}  // namespace

Result<void> Customers::record_read(
    const auth::User& actor, audit::AuditEvent event, const std::vector<std::string>& viewed,
    bool searched, const std::function<Result<void>(barrier::WriteTx&)>& also) const {
  const auto now = rt_.now();
  return rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    if (also) BAOMI_TRY(also(tx));
    // C4: counted in the store, in this job: every server process on the database counts the
    // same reads, and the single writer makes one crossing give exactly one alert (one per
    // episode until acknowledged: episode.h).
    BAOMI_ASSIGN_OR_RETURN(const auto seq, rt_.audit.next_seq(tx));
    BAOMI_ASSIGN_OR_RETURN(const auto raised, customers::count_read(rt_, watch_, tx, actor.id,
                                                                    viewed, searched, now, seq));
    BAOMI_TRY(rt_.audit.append(tx, event, now));
    for (const auto& alert_raise : raised) BAOMI_TRY(rt_.audit.append(tx, alert_raise, now));
    return {};
  });
}

Result<CustomerView> Customers::get(const auth::User& actor, const std::string& id,
                                    const UnmaskRequest& unmask) const {
  const bool unmasking = unmask.fields != 0;
  std::string reason;
  if (unmasking) {
    BAOMI_ASSIGN_OR_RETURN(reason, customers::checked_unmask_reason(unmask.reason));
  }
  const auto action = unmasking ? "customer.unmask" : "customer.read";
  BAOMI_ASSIGN_OR_RETURN(auto c, load(actor, id, policy::Action::kReadCustomer, action));
  audit::Detail detail;
  std::function<Result<void>(barrier::WriteTx&)> keep_reason;
  if (unmasking) {
    policy::Resource r;
    r.level = c.level;
    r.categories = c.categories;
    r.fields = unmask.fields;
    const auto d =
        rt_.policy.decide(subject_of(actor), policy::Action::kUnmaskCustomer, r, {rt_.now()});
    BAOMI_TRY(auth::enforce(rt_, d, actor.id, action, read_target(id)));
    // The reason is the caller's free text and may name the customer: it is kept sealed in
    // an object of its own; the trail holds its id and keyed hash, never the text.
    StoredObject note;
    note.kind = std::string(customers::kUnmaskReasonKind);
    note.id = crypto::random_id();
    note.state = "kept";
    note.owner_id = actor.id;
    note.created_at = note.updated_at = rt_.now();
    note.body["customer_id"] = c.id;
    const auto fields = read_field_names(unmask.fields);
    note.body["fields"] = boost::json::value_from(fields);
    note.body["reason"] = reason;
    detail.add("fields", fields)
        .add("reason_ref", note.id)
        .add("reason_hash", rt_.barrier.audit_hash(reason));
    keep_reason = [this, note](barrier::WriteTx& tx) mutable -> Result<void> {
      return SealedObjects(rt_).insert(tx, note);
    };
  }
  BAOMI_TRY(record_read(
      actor, {actor.id, action, read_target(id), "allow", unmasking ? "C3" : "C4", detail}, {c.id},
      false, keep_reason));
  return view_of(std::move(c), unmask.fields);
}

Result<std::vector<CustomerView>> Customers::search(const auth::User& actor,
                                                    std::string_view field_name,
                                                    std::string_view value) const {
  const auto field = policy::customer_field_from_api_name(field_name);
  if (!field || !customers::is_searchable(*field)) {
    return Error::invalid("invalid_field",
                          "search by '" + std::string(field_name) +
                              "' is not supported (phone, id_number, qq, account, email)");
  }
  BAOMI_ASSIGN_OR_RETURN(auto stored, customers::normalise_field(*field, value));
  const auto now = rt_.now();
  const auto subject = subject_of(actor);
  policy::Resource scope;
  scope.level = rt_.policy.customers().default_level;
  BAOMI_TRY(
      auth::enforce(rt_, rt_.policy.decide(subject, policy::Action::kSearchCustomers, scope, {now}),
                    actor.id, "customer.search", "customers"));
  std::vector<Customer> found;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto ids, records_.find(tx, *field, stored, kMaxSearchHits));
    for (const auto& id : ids) {
      BAOMI_ASSIGN_OR_RETURN(auto c, records_.get(tx, id));
      if (c) found.push_back(std::move(*c));
    }
    return {};
  }));
  std::vector<CustomerView> views;
  std::vector<std::string> ids;
  const auto wanted = customers::index_form(*field, stored);
  for (auto& c : found) {
    // An index row pointing at the wrong record (a database edit) finds nothing.
    if (customers::index_form(*field, c.field(*field)) != wanted) continue;
    policy::Resource r;
    r.level = c.level;
    r.categories = c.categories;
    if (!rt_.policy.decide(subject, policy::Action::kReadCustomer, r, {now}).allowed) continue;
    ids.push_back(c.id);
    views.push_back(view_of(std::move(c), 0));
  }
  // The term is kept only as a keyed hash (DESIGN.md: audit entries never hold search terms).
  BAOMI_TRY(record_read(
      actor,
      {actor.id, "customer.search", "customers", "allow", "C4",
       audit::Detail{}
           .add("field", field_name)
           .add("term_hash", rt_.barrier.audit_hash(std::string(field_name) + ":" + wanted))
           .add("results", ids)},
      ids, true, nullptr));
  return views;
}

}  // namespace baomi::services
