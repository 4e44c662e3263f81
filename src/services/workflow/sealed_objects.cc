#include "services/workflow/sealed_objects.h"

#include "barrier/records.h"

namespace baomi::services {
namespace {

std::string object_owner(const StoredObject& o) { return "obj:" + o.kind + ":" + o.id; }

barrier::Records<StoredObject> records(const auth::Runtime& rt) {
  return barrier::Records<StoredObject>(rt.barrier, object_record_type());
}

barrier::Scan scan_of(const ObjectQuery& q) {
  using barrier::Compare;
  barrier::Scan scan;
  scan.where.push_back({"kind", Compare::kEqual, q.kind});
  scan.where.push_back({"id", Compare::kGreater, q.after_id});
  if (q.state) scan.where.push_back({"state", Compare::kEqual, *q.state});
  if (q.document_id) scan.where.push_back({"document_id", Compare::kEqual, *q.document_id});
  if (q.owner_id) scan.where.push_back({"owner_id", Compare::kEqual, *q.owner_id});
  if (q.due_before_us) scan.where.push_back({"due_at", Compare::kLess, *q.due_before_us});
  if (q.created_from_us) {
    scan.where.push_back({"created_at", Compare::kGreaterOrEqual, *q.created_from_us});
  }
  if (q.created_before_us) {
    scan.where.push_back({"created_at", Compare::kLess, *q.created_before_us});
  }
  scan.order_by = q.order == ObjectOrder::kByCreation ? std::vector<std::string>{"created_at", "id"}
                                                      : std::vector<std::string>{"id"};
  scan.limit = q.limit;
  return scan;
}

}  // namespace

const barrier::RecordType<StoredObject>& object_record_type() {
  // The clear header is what queries and access checks need; the body is sealed under the
  // object's own data key, and the MAC binds header and body (same layout and MAC bytes as
  // before the record layer, so stored objects stay readable).
  static const auto type =
      barrier::RecordType<StoredObject>("objects")
          .key("kind", &StoredObject::kind)
          .key("id", &StoredObject::id)
          .text("state", &StoredObject::state)
          .text("document_id", &StoredObject::document_id)
          .text("owner_id", &StoredObject::owner_id)
          .time("created_at", &StoredObject::created_at)
          .time("updated_at", &StoredObject::updated_at)
          .optional_time("due_at", &StoredObject::due_at)
          .revision("revision", &StoredObject::revision)
          .data_key("wrapped_key", object_owner, object_owner)
          .sealed(
              "sealed", "body",
              [](const StoredObject& o) { return boost::json::serialize(o.body); },
              [](StoredObject& o, std::string text) -> Result<void> {
                boost::system::error_code ec;
                auto body = boost::json::parse(text, ec);
                if (ec || !body.is_object()) {
                  return Error::integrity("a stored object body is malformed");
                }
                o.body = std::move(body.as_object());
                return {};
              })
          .mac("mac")
          // Not kept by the record cache: objects are read rarely and may hold personal data
          // (visitors); the read watch keeps its decoded counts itself (read_watch.h).
          .index("objects_document", {"kind", "document_id", "id"})
          // Logs in order of creation, paged in the store (an area's entries: areas.h).
          .index("objects_document_created", {"kind", "document_id", "created_at", "id"})
          .index("objects_owner", {"kind", "owner_id", "id"})
          .index("objects_state", {"kind", "state", "id"})
          .index("objects_due", {"kind", "due_at"}, false, "due_at");
  return type;
}

Result<void> SealedObjects::insert(barrier::WriteTx& tx, StoredObject& object) const {
  return records(rt_).insert(tx, object);
}

Result<void> SealedObjects::update(barrier::WriteTx& tx, StoredObject& object) const {
  auto updated = records(rt_).update(tx, object);
  if (!updated.ok() && updated.error().kind == ErrorKind::kNotFound) {
    return Error::not_found(object.kind + " not found");
  }
  if (!updated.ok() && updated.error().kind == ErrorKind::kConflict) {
    return Error::conflict("concurrent_update", object.kind + " was changed meanwhile");
  }
  return updated;
}

Result<std::optional<StoredObject>> SealedObjects::get(barrier::ReadTx& tx, const std::string& kind,
                                                       const std::string& id) const {
  return records(rt_).get(tx, {kind, id});
}

Result<std::vector<StoredObject>> SealedObjects::list(barrier::ReadTx& tx,
                                                      const ObjectQuery& query) const {
  return records(rt_).scan(tx, scan_of(query));
}

Result<std::vector<std::string>> SealedObjects::list_ids(barrier::ReadTx& tx,
                                                         const ObjectQuery& query) const {
  BAOMI_ASSIGN_OR_RETURN(auto keys, records(rt_).scan_keys(tx, scan_of(query)));
  const auto id_at = object_record_type().table().position("id");
  std::vector<std::string> ids;
  ids.reserve(keys.size());
  for (const auto& key : keys) ids.push_back(std::get<std::string>(key.at(id_at)));
  return ids;
}

Result<std::optional<std::string>> SealedObjects::latest_write(barrier::ReadTx& tx,
                                                               const std::string& kind,
                                                               const std::string& id) const {
  return records(rt_).latest_write(tx, {kind, id});
}

Result<void> SealedObjects::erase(barrier::WriteTx& tx, const std::string& kind,
                                  const std::string& id) const {
  return records(rt_).erase(tx, {kind, id});
}

}  // namespace baomi::services
