// Customers: create and update, and the helpers every operation shares.
#include "services/customers/customers.h"

#include "audit/detail.h"
#include "auth/guard.h"
#include "crypto/random.h"
#include "services/customers/masking.h"
#include "services/customers/normalise.h"

namespace baomi::services {
namespace {

using policy::CustomerField;

std::string customer_target(const std::string& id) { return "customer:" + id; }

policy::Resource resource_of(const Customer& c) {
  policy::Resource r;
  r.level = c.level;
  r.categories = c.categories;
  return r;
}

std::vector<std::string> customer_field_names(policy::FieldSet set) {
  std::vector<std::string> out;
  for (int i = 0; i < policy::kCustomerFieldCount; ++i) {
    const auto f = static_cast<CustomerField>(i);
    if (set & policy::field_bit(f)) out.emplace_back(policy::customer_field_api_name(f));
  }
  return out;
}

policy::FieldSet set_fields(const Customer& c) {
  policy::FieldSet set = 0;
  for (int i = 0; i < policy::kCustomerFieldCount; ++i) {
    const auto f = static_cast<CustomerField>(i);
    if (!c.field(f).empty()) set |= policy::field_bit(f);
  }
  return set;
}

}  // namespace

policy::Subject Customers::subject_of(const auth::User& actor) const {
  return auth::subject_of(actor);  // C1: carries the org-chart department
}

CustomerView Customers::view_of(Customer c, policy::FieldSet unmasked) const {
  for (int i = 0; i < policy::kCustomerFieldCount; ++i) {
    const auto f = static_cast<CustomerField>(i);
    auto& value = c.fields[static_cast<std::size_t>(i)];
    if (value.empty() || (unmasked & policy::field_bit(f))) continue;
    value = customers::mask_field(f, value);  // C3: masked by default
  }
  return CustomerView{std::move(c), unmasked};
}

Result<Customer> Customers::load(const auth::User& actor, const std::string& id,
                                 policy::Action action, std::string_view audit_action) const {
  std::optional<Customer> found;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(found, records_.get(tx, id));
    return {};
  }));
  if (!found) {
    // S9: asking for what does not exist is recorded like any refusal.
    BAOMI_TRY(rt_.audit.record(rt_.store,
                               {actor.id, std::string(audit_action), customer_target(id), "deny",
                                "C1", audit::Detail{}.add("reason", "not_found")},
                               rt_.now()));
    return Error::not_found("customer not found");
  }
  const auto d = rt_.policy.decide(subject_of(actor), action, resource_of(*found), {rt_.now()});
  BAOMI_TRY(auth::enforce(rt_, d, actor.id, audit_action, customer_target(id)));
  return std::move(*found);
}

Result<void> Customers::apply(Customer& c, const CustomerInput& in, bool replace) const {
  for (int i = 0; i < policy::kCustomerFieldCount; ++i) {
    const auto f = static_cast<CustomerField>(i);
    const auto& raw = in.fields[static_cast<std::size_t>(i)];
    auto& value = c.fields[static_cast<std::size_t>(i)];
    if (!raw) {
      if (replace) value.clear();
      continue;
    }
    if (raw->empty()) {
      value.clear();
      continue;
    }
    BAOMI_ASSIGN_OR_RETURN(value, customers::normalise_field(f, *raw));
  }
  if (c.field(CustomerField::kName).empty()) {
    return Error::invalid("missing_field", "field 'name' is required");
  }
  const auto& settings = rt_.policy.customers();
  if (in.level) {
    const auto level = rt_.policy.level_from_name(*in.level);
    if (!level) return Error::invalid("invalid_field", "field 'level' is not a known level");
    // Input range of the policy's setting (not an access decision: decide() makes those).
    if (*level > settings.max_level) {
      return Error::invalid("invalid_field",
                            "field 'level' must be at most " +
                                std::string(rt_.policy.level_name(settings.max_level)));
    }
    c.level = *level;
  } else if (replace) {
    c.level = settings.default_level;
  }
  if (in.categories) {
    BAOMI_ASSIGN_OR_RETURN(c.categories, rt_.policy.category_set(*in.categories));
  } else if (replace) {
    c.categories = 0;
  }
  return {};
}

Result<CustomerView> Customers::create(const auth::User& actor, const CustomerInput& input) const {
  const auto now = rt_.now();
  Customer c;
  c.id = crypto::random_id();
  c.level = rt_.policy.customers().default_level;
  BAOMI_TRY(apply(c, input, false));
  const auto d =
      rt_.policy.decide(subject_of(actor), policy::Action::kCreateCustomer, resource_of(c), {now});
  BAOMI_TRY(auth::enforce(rt_, d, actor.id, "customer.create", "customers"));
  c.created_at = c.updated_at = now;
  c.created_by = actor.id;
  const auto detail = audit::Detail{}
                          .add("level", rt_.policy.level_name(c.level))
                          .add("fields", customer_field_names(set_fields(c)));
  BAOMI_TRY(rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    BAOMI_TRY(records_.insert(tx, c));
    BAOMI_TRY(rt_.audit.append(
        tx, {actor.id, "customer.create", customer_target(c.id), "allow", "C1", detail}, now));
    return {};
  }));
  return view_of(std::move(c), 0);
}

Result<CustomerView> Customers::update(const auth::User& actor, const std::string& id,
                                       const CustomerInput& input, bool replace) const {
  BAOMI_ASSIGN_OR_RETURN(const auto before,
                         load(actor, id, policy::Action::kUpdateCustomer, "customer.update"));
  auto c = before;
  BAOMI_TRY(apply(c, input, replace));
  const auto now = rt_.now();
  if (c.level != before.level || c.categories != before.categories) {
    // A record moves only to where its editor may still see it.
    const auto d = rt_.policy.decide(subject_of(actor), policy::Action::kUpdateCustomer,
                                     resource_of(c), {now});
    BAOMI_TRY(auth::enforce(rt_, d, actor.id, "customer.update", customer_target(id)));
  }
  // I1: the trail keeps the history as keyed hashes of old and new values, never the values.
  audit::Detail changed;
  for (int i = 0; i < policy::kCustomerFieldCount; ++i) {
    const auto f = static_cast<CustomerField>(i);
    if (c.field(f) == before.field(f)) continue;
    const std::string name(policy::customer_field_api_name(f));
    const auto hash = [&](const std::string& v) {
      return v.empty() ? std::string() : rt_.barrier.audit_hash(name + ":" + v);
    };
    changed.add(name,
                audit::Detail{}.add("old", hash(before.field(f))).add("new", hash(c.field(f))));
  }
  c.updated_at = now;
  const auto detail = audit::Detail{}
                          .add("revision", before.revision + 1)
                          .add("level", rt_.policy.level_name(c.level))
                          .add("changed", changed);
  BAOMI_TRY(rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    BAOMI_TRY(records_.update(tx, c));
    BAOMI_TRY(rt_.audit.append(
        tx, {actor.id, "customer.update", customer_target(c.id), "allow", "I1", detail}, now));
    return {};
  }));
  return view_of(std::move(c), 0);
}

}  // namespace baomi::services
