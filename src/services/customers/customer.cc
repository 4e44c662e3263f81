#include "services/customers/customer.h"

#include <boost/json.hpp>

#include "auth/user.h"
#include "barrier/wrapped_key.h"
#include "services/customers/normalise.h"
#include "services/workflow/json_fields.h"

namespace baomi::services {
namespace {

using policy::CustomerField;

std::string owner_of(const std::string& id) { return "cust:" + std::string(id); }

std::string_view as_text(const Bytes& b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

Bytes customer_fields(const storage::CustomerRow& r) {
  Bytes out;
  append_field(out, "customers");
  append_field(out, r.id);
  append_field(out, r.level);
  append_field(out, r.categories);
  append_u64(out, static_cast<std::uint64_t>(r.created_at_us));
  append_u64(out, static_cast<std::uint64_t>(r.updated_at_us));
  append_field(out, r.created_by);
  append_u64(out, r.revision);
  append_field(out, as_text(r.wrapped_key));
  for (const auto& s : r.sealed) append_field(out, as_text(s));
  return out;
}

Bytes contact_fields(const storage::ContactRow& r) {
  Bytes out;
  append_field(out, "customer_contacts");
  append_field(out, r.id);
  append_field(out, r.customer_id);
  append_u64(out, r.seq);
  append_u64(out, static_cast<std::uint64_t>(r.created_at_us));
  append_field(out, r.handled_by);
  append_field(out, as_text(r.sealed_body));
  return out;
}

// The contact body is bound to its customer and entry: a box moved elsewhere fails to open.
std::string contact_record(const std::string& customer_id, const std::string& contact_id) {
  return customer_id + "/" + contact_id;
}

Result<crypto::SecretKey> data_key(const auth::Runtime& rt, const Bytes& wrapped_bytes,
                                   const std::string& id) {
  BAOMI_ASSIGN_OR_RETURN(auto wrapped, barrier::decode_wrapped_key(wrapped_bytes));
  return rt.barrier.unwrap(wrapped, owner_of(id));
}

}  // namespace

std::string blind_index_of(const auth::Runtime& rt, CustomerField field, std::string_view stored) {
  return rt.barrier.blind_index("customer." + std::string(policy::customer_field_api_name(field)),
                                customers::index_form(field, stored));
}

Result<storage::CustomerRow> seal_customer(const auth::Runtime& rt, const Customer& c) {
  storage::CustomerRow row;
  std::optional<crypto::SecretKey> key;
  if (c.wrapped_key.empty()) {
    auto dek = rt.barrier.new_data_key(owner_of(c.id));
    row.wrapped_key = barrier::encode(dek.wrapped);
    key.emplace(std::move(dek.key));
  } else {
    BAOMI_ASSIGN_OR_RETURN(auto k, data_key(rt, c.wrapped_key, c.id));
    key.emplace(std::move(k));
    row.wrapped_key = c.wrapped_key;
  }
  row.id = c.id;
  row.level = std::string(rt.policy.level_name(c.level));
  row.categories = auth::join(rt.policy.category_names(c.categories));
  row.created_at_us = to_micros(c.created_at);
  row.updated_at_us = to_micros(c.updated_at);
  row.created_by = c.created_by;
  row.revision = c.revision;
  for (int i = 0; i < policy::kCustomerFieldCount; ++i) {
    const auto& value = c.fields[static_cast<std::size_t>(i)];
    if (value.empty()) continue;  // unset: an empty column, nothing to seal
    const auto name = policy::customer_field_api_name(static_cast<CustomerField>(i));
    row.sealed[static_cast<std::size_t>(i)] =
        rt.barrier.seal_field(*key, c.id, name, value).bytes();
  }
  row.mac = rt.barrier.row_mac(customer_fields(row));
  return row;
}

Result<OpenedCustomer> open_customer(const auth::Runtime& rt, const storage::CustomerRow& row) {
  BAOMI_TRY(rt.barrier.check_row_mac(customer_fields(row), row.mac));
  BAOMI_ASSIGN_OR_RETURN(auto key, data_key(rt, row.wrapped_key, row.id));
  Customer c;
  c.id = row.id;
  const auto level = rt.policy.level_from_name(row.level);
  if (!level) return Error::integrity("customer " + row.id + " has an unknown level");
  c.level = *level;
  const auto names = auth::split(row.categories);
  auto cats = rt.policy.category_set(names);
  if (!cats.ok()) return Error::integrity("customer " + row.id + " has an unknown category");
  c.categories = *cats;
  c.created_at = from_micros(row.created_at_us);
  c.updated_at = from_micros(row.updated_at_us);
  c.created_by = row.created_by;
  c.revision = row.revision;
  c.wrapped_key = row.wrapped_key;
  for (int i = 0; i < policy::kCustomerFieldCount; ++i) {
    const auto& sealed = row.sealed[static_cast<std::size_t>(i)];
    if (sealed.empty()) continue;
    const auto name = policy::customer_field_api_name(static_cast<CustomerField>(i));
    BAOMI_ASSIGN_OR_RETURN(
        c.fields[static_cast<std::size_t>(i)],
        rt.barrier.open_field(key, c.id, name, barrier::Sealed::from_storage(sealed)));
  }
  return OpenedCustomer{std::move(c), std::move(key)};
}

std::vector<storage::CustomerIndexRow> index_rows(const auth::Runtime& rt, const Customer& c) {
  std::vector<storage::CustomerIndexRow> rows;
  for (int i = 0; i < policy::kCustomerFieldCount; ++i) {
    const auto f = static_cast<CustomerField>(i);
    if (!customers::is_searchable(f) || c.field(f).empty()) continue;
    rows.push_back(
        {std::string(policy::customer_field_api_name(f)), blind_index_of(rt, f, c.field(f)), c.id});
  }
  return rows;
}

Result<storage::ContactRow> seal_contact(const auth::Runtime& rt, const crypto::SecretKey& key,
                                         const ContactEntry& e) {
  boost::json::object body;
  body["channel"] = e.channel;
  body["type"] = e.type;
  body["content"] = e.content;
  if (e.corrects) body["corrects"] = *e.corrects;
  storage::ContactRow row;
  row.id = e.id;
  row.customer_id = e.customer_id;
  row.seq = e.seq;
  row.created_at_us = to_micros(e.created_at);
  row.handled_by = e.handled_by;
  row.sealed_body = rt.barrier
                        .seal_field(key, contact_record(e.customer_id, e.id), "contact",
                                    boost::json::serialize(body))
                        .bytes();
  row.mac = rt.barrier.row_mac(contact_fields(row));
  return row;
}

Result<ContactEntry> open_contact(const auth::Runtime& rt, const crypto::SecretKey& key,
                                  const storage::ContactRow& row) {
  BAOMI_TRY(rt.barrier.check_row_mac(contact_fields(row), row.mac));
  BAOMI_ASSIGN_OR_RETURN(
      auto text, rt.barrier.open_field(key, contact_record(row.customer_id, row.id), "contact",
                                       barrier::Sealed::from_storage(row.sealed_body)));
  boost::system::error_code ec;
  auto value = boost::json::parse(text, ec);
  if (ec) return Error::integrity("contact entry " + row.id + " is damaged");
  BodyReader body(value);
  ContactEntry e;
  e.id = row.id;
  e.customer_id = row.customer_id;
  e.seq = row.seq;
  e.created_at = from_micros(row.created_at_us);
  e.handled_by = row.handled_by;
  BAOMI_ASSIGN_OR_RETURN(e.channel, body.string("channel"));
  BAOMI_ASSIGN_OR_RETURN(e.type, body.string("type"));
  BAOMI_ASSIGN_OR_RETURN(e.content, body.string("content"));
  BAOMI_ASSIGN_OR_RETURN(e.corrects, body.optional_string("corrects"));
  return e;
}

}  // namespace baomi::services
