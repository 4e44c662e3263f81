#include "services/documents/document_repository.h"

#include "auth/user.h"
#include "barrier/records.h"

namespace baomi::services {
namespace {

barrier::Records<DocumentRecord> documents(const auth::Runtime& rt) {
  return barrier::Records<DocumentRecord>(rt.barrier, document_record_type());
}

barrier::Records<DocumentVersion> versions(const auth::Runtime& rt) {
  return barrier::Records<DocumentVersion>(rt.barrier, version_record_type());
}

barrier::Records<DocumentLifecycle> lifecycles(const auth::Runtime& rt) {
  return barrier::Records<DocumentLifecycle>(rt.barrier, lifecycle_record_type());
}

void apply_lifecycle(Document& d, const DocumentLifecycle& l) {
  d.retain_until = l.retain_until;
  d.legal_hold = l.hold;
  d.destroyed_at = l.destroyed_at;
  d.has_lifecycle = true;
}

barrier::Row version_key(const std::string& id, std::uint64_t version) {
  return {id, static_cast<std::int64_t>(version)};
}

DocumentRecord document_to_record(const auth::Runtime& rt, const Document& d) {
  DocumentRecord r;
  r.id = d.id;
  r.level = std::string(rt.policy.level_name(d.level));
  r.categories = auth::join(rt.policy.category_names(d.categories));
  r.custodian_id = d.custodian_id;
  r.author_id = d.author_id;
  r.secret_until = d.secret_until;
  r.title = d.title;
  r.description = d.description;
  r.current_version = d.current_version;
  r.created_at = d.created_at;
  return r;
}

Result<Document> document_from_record(const auth::Runtime& rt, DocumentRecord r) {
  Document d;
  auto level = rt.policy.level_from_name(r.level);
  if (!level) return Error::integrity("stored document has an unknown level");
  d.level = *level;
  for (const auto& name : auth::split(r.categories)) {
    // A category that the policy no longer knows cannot be satisfied: keep the document
    // closed rather than open it wider (fail closed).
    auto idx = rt.policy.category_index(name);
    if (!idx) return Error::integrity("stored document has a category the policy lacks");
    d.categories |= policy::category_bit(*idx);
  }
  d.id = std::move(r.id);
  d.title = std::move(r.title);
  d.description = std::move(r.description);
  d.custodian_id = std::move(r.custodian_id);
  d.author_id = std::move(r.author_id);
  d.secret_until = r.secret_until;
  d.current_version = r.current_version;
  d.created_at = r.created_at;
  return d;
}

}  // namespace

Result<std::optional<Document>> DocumentRepository::find(barrier::ReadTx& tx,
                                                         const std::string& id) const {
  // The lifecycle first: a destroyed document's row has no data key left to open (S5, H3).
  // I1: a lifecycle row removed from outside (to lift a hold) is an integrity failure.
  BAOMI_ASSIGN_OR_RETURN(
      auto lifecycle, lifecycles(rt_).get_unless_removed(tx, {id}, barrier::Opening::kClearOnly));
  const bool destroyed = lifecycle && lifecycle->destroyed_at;
  BAOMI_ASSIGN_OR_RETURN(auto record, documents(rt_).get(tx, {id},
                                                         destroyed ? barrier::Opening::kClearOnly
                                                                   : barrier::Opening::kSealed));
  if (!record) return std::optional<Document>();
  BAOMI_ASSIGN_OR_RETURN(auto doc, document_from_record(rt_, std::move(*record)));
  if (lifecycle) apply_lifecycle(doc, *lifecycle);
  return std::optional<Document>(std::move(doc));
}

Result<std::optional<DocumentLifecycle>> DocumentRepository::find_lifecycle(
    barrier::ReadTx& tx, const std::string& id) const {
  return lifecycles(rt_).get_unless_removed(tx, {id});
}

Result<void> DocumentRepository::put_lifecycle(barrier::WriteTx& tx, DocumentLifecycle& lifecycle,
                                               bool exists) const {
  if (!exists) return lifecycles(rt_).insert(tx, lifecycle);
  return lifecycles(rt_).update(tx, lifecycle);
}

Result<void> DocumentRepository::erase_document_key(barrier::WriteTx& tx,
                                                    const Document& doc) const {
  auto record = document_to_record(rt_, doc);
  record.title.clear();
  record.description.clear();
  return documents(rt_).erase_data_key(tx, record);
}

Result<void> DocumentRepository::erase_version_key(barrier::WriteTx& tx,
                                                   DocumentVersion& version) const {
  version.state = VersionState::kDestroyed;
  version.sha256.clear();
  version.wrapped_key.clear();
  return versions(rt_).erase_data_key(tx, version);
}

Result<std::vector<DocumentVersion>> DocumentRepository::destroyed_with_chunks(
    barrier::ReadTx& tx, std::size_t limit) const {
  barrier::Scan scan;
  scan.where.push_back({"state", barrier::Compare::kEqual, std::string("destroyed")});
  scan.where.push_back({"chunk_count", barrier::Compare::kGreater, std::int64_t{0}});
  scan.order_by = {"document_id", "version"};
  scan.limit = limit;
  return versions(rt_).scan(tx, scan, barrier::Opening::kClearOnly);
}

Result<std::vector<DocumentVersion>> DocumentRepository::versions_of(barrier::ReadTx& tx,
                                                                     const std::string& id) const {
  barrier::Scan scan;
  scan.where.push_back({"document_id", barrier::Compare::kEqual, id});
  scan.order_by = {"document_id", "version"};
  scan.limit = 1'000'000;
  return versions(rt_).scan(tx, scan, barrier::Opening::kClearOnly);
}

Result<std::vector<Document>> DocumentRepository::list_after(barrier::ReadTx& tx,
                                                             const std::string& after_id,
                                                             std::size_t limit) const {
  barrier::Scan scan;
  scan.where.push_back({"id", barrier::Compare::kGreater, after_id});
  scan.order_by = {"id"};
  scan.limit = limit;
  // Clear columns first: a destroyed document's title no longer opens (S5, H3).
  BAOMI_ASSIGN_OR_RETURN(auto keys, documents(rt_).scan_keys(tx, scan));
  std::vector<Document> out;
  out.reserve(keys.size());
  for (const auto& key : keys) {
    const auto* id = std::get_if<std::string>(&key[0]);
    if (!id) return Error::integrity("a stored document is malformed");
    BAOMI_ASSIGN_OR_RETURN(auto doc, find(tx, *id));
    if (doc) out.push_back(std::move(*doc));
  }
  return out;
}

Result<void> DocumentRepository::insert(barrier::WriteTx& tx, const Document& doc) const {
  auto record = document_to_record(rt_, doc);
  BAOMI_TRY(documents(rt_).insert(tx, record));
  DocumentLifecycle lifecycle;
  lifecycle.document_id = doc.id;
  lifecycle.retain_until = doc.retain_until;
  return lifecycles(rt_).insert(tx, lifecycle);
}

Result<void> DocumentRepository::update(barrier::WriteTx& tx, const Document& doc) const {
  auto record = document_to_record(rt_, doc);
  auto updated = documents(rt_).update(tx, record);
  if (!updated.ok() && updated.error().kind == ErrorKind::kNotFound) {
    return Error::not_found("document not found");
  }
  return updated;
}

Result<std::optional<DocumentVersion>> DocumentRepository::find_version(
    barrier::ReadTx& tx, const std::string& id, std::uint64_t version) const {
  BAOMI_ASSIGN_OR_RETURN(auto found, versions(rt_).get(tx, version_key(id, version)));
  if (found && found->state == VersionState::kCommitted && found->sha256.empty()) {
    return Error::integrity("a committed version has lost its digest");
  }
  return found;
}

Result<void> DocumentRepository::insert_version(barrier::WriteTx& tx,
                                                DocumentVersion& version) const {
  return versions(rt_).insert(tx, version);
}

Result<void> DocumentRepository::update_version(barrier::WriteTx& tx,
                                                DocumentVersion& version) const {
  return versions(rt_).update(tx, version);
}

Result<void> DocumentRepository::erase_version(barrier::WriteTx& tx, const std::string& id,
                                               std::uint64_t version) const {
  BAOMI_TRY(versions(rt_).erase(tx, version_key(id, version)));
  return barrier::ContentStream::document_version(id, version).erase(tx);
}

Result<void> DocumentRepository::erase_stray_chunks(barrier::WriteTx& tx, const std::string& id,
                                                    std::uint64_t version) const {
  return barrier::ContentStream::document_version(id, version).erase(tx);
}

Result<std::vector<std::pair<std::string, std::uint64_t>>> DocumentRepository::pending_versions(
    barrier::ReadTx& tx, std::size_t limit) const {
  barrier::Scan scan;
  scan.where.push_back({"state", barrier::Compare::kEqual, std::string("pending")});
  scan.order_by = {"document_id", "version"};
  scan.limit = limit;
  BAOMI_ASSIGN_OR_RETURN(auto rows, versions(rt_).scan_keys(tx, scan));
  std::vector<std::pair<std::string, std::uint64_t>> keys;
  keys.reserve(rows.size());
  for (const auto& row : rows) {
    const auto* id = std::get_if<std::string>(&row[0]);
    const auto* version = std::get_if<std::int64_t>(&row[1]);
    if (!id || !version || *version < 0) return Error::integrity("a stored version is malformed");
    keys.emplace_back(*id, static_cast<std::uint64_t>(*version));
  }
  return keys;
}

}  // namespace baomi::services
