#include "services/workflow/sealed_objects.h"

namespace baomi::services {
namespace {

std::string owner_of(const std::string& kind, const std::string& id) {
  return "obj:" + kind + ":" + id;
}

Bytes row_fields(const storage::ObjectRow& r) {
  Bytes out;
  append_field(out, "objects");
  append_field(out, r.kind);
  append_field(out, r.id);
  append_field(out, r.state);
  append_field(out, r.document_id);
  append_field(out, r.owner_id);
  append_u64(out, static_cast<std::uint64_t>(r.created_at_us));
  append_u64(out, static_cast<std::uint64_t>(r.updated_at_us));
  append_field(out, r.due_at_us ? std::to_string(*r.due_at_us) : "-");
  append_u64(out, r.revision);
  append_field(out, std::string_view(reinterpret_cast<const char*>(r.wrapped_key.data()),
                                     r.wrapped_key.size()));
  append_field(out,
               std::string_view(reinterpret_cast<const char*>(r.sealed.data()), r.sealed.size()));
  return out;
}

}  // namespace

Result<storage::ObjectRow> SealedObjects::seal(const StoredObject& o, Bytes wrapped_key) const {
  const auto owner = owner_of(o.kind, o.id);
  storage::ObjectRow row;
  std::optional<crypto::SecretKey> key;
  if (wrapped_key.empty()) {
    auto dek = rt_.barrier.new_data_key(owner);
    row.wrapped_key = barrier::encode(dek.wrapped);
    key.emplace(std::move(dek.key));
  } else {
    BAOMI_ASSIGN_OR_RETURN(auto wrapped, barrier::decode_wrapped_key(wrapped_key));
    BAOMI_ASSIGN_OR_RETURN(auto unwrapped, rt_.barrier.unwrap(wrapped, owner));
    key.emplace(std::move(unwrapped));
    row.wrapped_key = std::move(wrapped_key);
  }
  row.kind = o.kind;
  row.id = o.id;
  row.state = o.state;
  row.document_id = o.document_id;
  row.owner_id = o.owner_id;
  row.created_at_us = to_micros(o.created_at);
  row.updated_at_us = to_micros(o.updated_at);
  if (o.due_at) row.due_at_us = to_micros(*o.due_at);
  row.revision = o.revision;
  row.sealed = rt_.barrier.seal_field(*key, owner, "body", boost::json::serialize(o.body)).bytes();
  row.mac = rt_.barrier.row_mac(row_fields(row));
  return row;
}

Result<StoredObject> SealedObjects::open(const storage::ObjectRow& row) const {
  BAOMI_TRY(rt_.barrier.check_row_mac(row_fields(row), row.mac));
  const auto owner = owner_of(row.kind, row.id);
  auto wrapped = barrier::decode_wrapped_key(row.wrapped_key);
  if (!wrapped.ok()) return Error::integrity("a stored data key is damaged");
  BAOMI_ASSIGN_OR_RETURN(auto key, rt_.barrier.unwrap(*wrapped, owner));
  BAOMI_ASSIGN_OR_RETURN(
      auto text,
      rt_.barrier.open_field(key, owner, "body", barrier::Sealed::from_storage(row.sealed)));
  boost::system::error_code ec;
  auto body = boost::json::parse(text, ec);
  if (ec || !body.is_object()) return Error::integrity("a stored object body is malformed");
  StoredObject o;
  o.kind = row.kind;
  o.id = row.id;
  o.state = row.state;
  o.document_id = row.document_id;
  o.owner_id = row.owner_id;
  o.created_at = from_micros(row.created_at_us);
  o.updated_at = from_micros(row.updated_at_us);
  if (row.due_at_us) o.due_at = from_micros(*row.due_at_us);
  o.revision = row.revision;
  o.body = std::move(body.as_object());
  return o;
}

Result<void> SealedObjects::insert(storage::WriteTx& tx, StoredObject& object) const {
  object.revision = 1;
  BAOMI_ASSIGN_OR_RETURN(auto row, seal(object, {}));
  return tx.insert_object(row);
}

Result<void> SealedObjects::update(storage::WriteTx& tx, StoredObject& object) const {
  BAOMI_ASSIGN_OR_RETURN(auto current, tx.get_object(object.kind, object.id));
  if (!current) return Error::not_found(object.kind + " not found");
  BAOMI_TRY(rt_.barrier.check_row_mac(row_fields(*current), current->mac));
  if (current->revision != object.revision) {
    return Error::conflict("concurrent_update", object.kind + " was changed meanwhile");
  }
  ++object.revision;
  BAOMI_ASSIGN_OR_RETURN(auto row, seal(object, std::move(current->wrapped_key)));
  auto updated = tx.update_object(row);
  if (!updated.ok()) --object.revision;
  return updated;
}

Result<std::optional<StoredObject>> SealedObjects::get(storage::ReadTx& tx, const std::string& kind,
                                                       const std::string& id) const {
  BAOMI_ASSIGN_OR_RETURN(auto row, tx.get_object(kind, id));
  if (!row) return std::optional<StoredObject>();
  BAOMI_ASSIGN_OR_RETURN(auto object, open(*row));
  return std::optional<StoredObject>(std::move(object));
}

Result<std::vector<StoredObject>> SealedObjects::list(storage::ReadTx& tx,
                                                      const storage::ObjectQuery& query) const {
  BAOMI_ASSIGN_OR_RETURN(auto rows, tx.list_objects(query));
  std::vector<StoredObject> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    BAOMI_ASSIGN_OR_RETURN(auto object, open(row));
    out.push_back(std::move(object));
  }
  return out;
}

}  // namespace baomi::services
