#include "services/documents/document.h"

#include "auth/user.h"

namespace baomi::services {
namespace {

std::string owner_of(const std::string& id) { return "doc:" + id; }

}  // namespace

policy::Resource resource_of(const Document& doc) {
  policy::Resource r;
  r.level = doc.level;
  r.categories = doc.categories;
  r.custodian_id = doc.custodian_id;
  r.author_id = doc.author_id;
  return r;
}

Result<storage::DocumentRow> seal_document(const auth::Runtime& rt, const Document& d) {
  auto dek = rt.barrier.new_data_key(owner_of(d.id));
  storage::DocumentRow row;
  row.id = d.id;
  row.level = std::string(rt.policy.level_name(d.level));
  row.categories = auth::join(rt.policy.category_names(d.categories));
  row.custodian_id = d.custodian_id;
  row.author_id = d.author_id;
  if (d.secret_until) row.secret_until_us = to_micros(*d.secret_until);
  row.wrapped_key = barrier::encode(dek.wrapped);
  row.sealed_title = rt.barrier.seal_field(dek.key, d.id, "title", d.title).bytes();
  row.sealed_description =
      rt.barrier.seal_field(dek.key, d.id, "description", d.description).bytes();
  row.current_version = d.current_version;
  row.created_at_us = to_micros(d.created_at);
  return row;
}

Result<Document> open_document(const auth::Runtime& rt, const storage::DocumentRow& row) {
  BAOMI_ASSIGN_OR_RETURN(auto wrapped, barrier::decode_wrapped_key(row.wrapped_key));
  BAOMI_ASSIGN_OR_RETURN(auto dek, rt.barrier.unwrap(wrapped, owner_of(row.id)));
  Document d;
  d.id = row.id;
  BAOMI_ASSIGN_OR_RETURN(d.title, rt.barrier.open_field(dek, row.id, "title",
                                                        barrier::Sealed::from_storage(row.sealed_title)));
  BAOMI_ASSIGN_OR_RETURN(
      d.description, rt.barrier.open_field(dek, row.id, "description",
                                           barrier::Sealed::from_storage(row.sealed_description)));
  auto level = rt.policy.level_from_name(row.level);
  if (!level) return Error::integrity("stored document has an unknown level");
  d.level = *level;
  for (const auto& name : auth::split(row.categories)) {
    // A category that the policy no longer knows cannot be satisfied: keep the document
    // closed rather than open it wider (fail closed).
    auto idx = rt.policy.category_index(name);
    if (!idx) return Error::integrity("stored document has a category the policy lacks");
    d.categories |= policy::category_bit(*idx);
  }
  d.custodian_id = row.custodian_id;
  d.author_id = row.author_id;
  if (row.secret_until_us) d.secret_until = from_micros(*row.secret_until_us);
  d.current_version = row.current_version;
  d.created_at = from_micros(row.created_at_us);
  return d;
}

}  // namespace baomi::services
