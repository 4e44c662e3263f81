#include "services/documents/document.h"

#include "auth/user.h"

namespace baomi::services {
namespace {

std::string owner_of(const std::string& id) { return "doc:" + id; }

Bytes document_row_fields(const storage::DocumentRow& r) {
  Bytes out;
  append_field(out, "documents");
  append_field(out, r.id);
  append_field(out, r.level);
  append_field(out, r.categories);
  append_field(out, r.custodian_id);
  append_field(out, r.author_id);
  append_field(out, r.secret_until_us ? std::to_string(*r.secret_until_us) : "-");
  append_u64(out, r.current_version);
  append_u64(out, static_cast<std::uint64_t>(r.created_at_us));
  return out;
}

Bytes version_row_fields(const storage::VersionRow& r) {
  Bytes out;
  append_field(out, "versions");
  append_field(out, r.document_id);
  append_u64(out, r.version);
  append_field(out, r.state == storage::VersionState::kCommitted ? "committed" : "pending");
  append_field(out, r.content_type);
  append_u64(out, r.size);
  append_u64(out, r.chunk_count);
  append_field(out, r.created_by);
  append_u64(out, static_cast<std::uint64_t>(r.created_at_us));
  return out;
}

}  // namespace

void mac_document_row(const auth::Runtime& rt, storage::DocumentRow& row) {
  row.mac = rt.barrier.row_mac(document_row_fields(row));
}
Result<void> check_document_row(const auth::Runtime& rt, const storage::DocumentRow& row) {
  return rt.barrier.check_row_mac(document_row_fields(row), row.mac);
}
void mac_version_row(const auth::Runtime& rt, storage::VersionRow& row) {
  row.mac = rt.barrier.row_mac(version_row_fields(row));
}
Result<void> check_version_row(const auth::Runtime& rt, const storage::VersionRow& row) {
  return rt.barrier.check_row_mac(version_row_fields(row), row.mac);
}

Bytes seal_version_digest(const auth::Runtime& rt, const crypto::SecretKey& key,
                          const storage::VersionRow& row, std::string_view sha256_hex) {
  return rt.barrier
      .seal_field(key, version_owner(row.document_id, row.version), "sha256", sha256_hex)
      .bytes();
}

Result<std::string> open_version_digest(const auth::Runtime& rt, const storage::VersionRow& row) {
  const auto owner = version_owner(row.document_id, row.version);
  BAOMI_ASSIGN_OR_RETURN(auto wrapped, barrier::decode_wrapped_key(row.wrapped_key));
  BAOMI_ASSIGN_OR_RETURN(auto key, rt.barrier.unwrap(wrapped, owner));
  return rt.barrier.open_field(key, owner, "sha256",
                               barrier::Sealed::from_storage(row.sealed_sha256));
}

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
  mac_document_row(rt, row);
  return row;
}

Result<Document> open_document(const auth::Runtime& rt, const storage::DocumentRow& row) {
  BAOMI_TRY(check_document_row(rt, row));
  BAOMI_ASSIGN_OR_RETURN(auto wrapped, barrier::decode_wrapped_key(row.wrapped_key));
  BAOMI_ASSIGN_OR_RETURN(auto dek, rt.barrier.unwrap(wrapped, owner_of(row.id)));
  Document d;
  d.id = row.id;
  BAOMI_ASSIGN_OR_RETURN(
      d.title,
      rt.barrier.open_field(dek, row.id, "title", barrier::Sealed::from_storage(row.sealed_title)));
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
