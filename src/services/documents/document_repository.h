// DocumentRepository: the one way services read and write documents and their versions. It
// hands out plaintext, policy-typed values and stores them through the sealed-record layer
// (barrier/records.h), which seals, authenticates and checks every row against the record
// ledger: an altered or an older row put back (an undone declassification, S4) is kIntegrity
// (I1). Content chunks stay the engine's blobs; erasing a version erases its chunks with it.
// Thread-safety: stateless apart from the Runtime; use from any thread, inside a Tx's job.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/runtime.h"
#include "services/documents/document.h"
#include "services/documents/document_record.h"
#include "services/documents/lifecycle_record.h"

namespace baomi::services {

class DocumentRepository {
 public:
  explicit DocumentRepository(const auth::Runtime& rt) : rt_(rt) {}

  Result<std::optional<Document>> find(barrier::ReadTx& tx, const std::string& id) const;
  // Documents ordered by id, ids > after_id, at most `limit`.
  Result<std::vector<Document>> list_after(barrier::ReadTx& tx, const std::string& after_id,
                                           std::size_t limit) const;
  // Conflict when the id is taken. Stores its lifecycle row too (retain_until, no hold).
  Result<void> insert(barrier::WriteTx& tx, const Document& doc) const;
  // Stores the changed document (classification, current version) over the stored one;
  // title and description are sealed again under its data key.
  Result<void> update(barrier::WriteTx& tx, const Document& doc) const;

  // S5, H3: the document's lifecycle row with its hold reason (none for documents from before
  // retention); kIntegrity when a stored row was removed from outside (I1).
  Result<std::optional<DocumentLifecycle>> find_lifecycle(barrier::ReadTx& tx,
                                                          const std::string& id) const;
  // Stores the lifecycle row, inserting it when the document has none yet.
  Result<void> put_lifecycle(barrier::WriteTx& tx, DocumentLifecycle& lifecycle, bool exists) const;
  // Crypto-shredding (S5, H3): erases the document's own data key with its sealed title and
  // description; the caller records the destruction in its lifecycle row (which says so).
  Result<void> erase_document_key(barrier::WriteTx& tx, const Document& doc) const;
  // Crypto-shredding of one version: its state becomes destroyed and its data key (the content
  // key) and sealed digest are erased; its chunks can never be decrypted again.
  Result<void> erase_version_key(barrier::WriteTx& tx, DocumentVersion& version) const;
  // Destroyed versions whose chunks are still stored (chunk_count > 0), at most `limit`.
  Result<std::vector<DocumentVersion>> destroyed_with_chunks(barrier::ReadTx& tx,
                                                             std::size_t limit) const;
  // Every version row of the document, clear columns only, in version order.
  Result<std::vector<DocumentVersion>> versions_of(barrier::ReadTx& tx,
                                                   const std::string& id) const;

  // Any state; a committed version always has its digest (kIntegrity otherwise).
  Result<std::optional<DocumentVersion>> find_version(barrier::ReadTx& tx, const std::string& id,
                                                      std::uint64_t version) const;
  // With `version.wrapped_key` set, that key is the version's data key (it seals the content).
  Result<void> insert_version(barrier::WriteTx& tx, DocumentVersion& version) const;
  Result<void> update_version(barrier::WriteTx& tx, DocumentVersion& version) const;
  // Removes the version row (not_found when there is none) and its content chunks.
  Result<void> erase_version(barrier::WriteTx& tx, const std::string& id,
                             std::uint64_t version) const;
  // Removes the chunks of a version that has no row (strays of an upload lost meanwhile).
  Result<void> erase_stray_chunks(barrier::WriteTx& tx, const std::string& id,
                                  std::uint64_t version) const;
  // (document id, version) of pending versions, unopened, at most `limit`.
  Result<std::vector<std::pair<std::string, std::uint64_t>>> pending_versions(
      barrier::ReadTx& tx, std::size_t limit) const;

 private:
  const auth::Runtime& rt_;
};

}  // namespace baomi::services
