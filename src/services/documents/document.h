// Document: a classified document as services see it (metadata decrypted), and its sealing
// to and from the storage row. Title and description are sealed under the document's own data
// key with the document id and field name as associated data.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/runtime.h"
#include "policy/model.h"
#include "storage/records.h"

namespace baomi::services {

struct Document {
  std::string id;
  std::string title;
  std::string description;
  policy::Level level = policy::Level::kTopSecret;
  policy::CategorySet categories = 0;
  std::string custodian_id;
  std::string author_id;
  std::optional<TimePoint> secret_until;
  std::uint64_t current_version = 0;
  TimePoint created_at;
};

// The policy's view of a document.
policy::Resource resource_of(const Document& doc);

Result<storage::DocumentRow> seal_document(const auth::Runtime& rt, const Document& doc);
Result<Document> open_document(const auth::Runtime& rt, const storage::DocumentRow& row);

inline std::string document_target(const std::string& id) { return "document:" + id; }
inline std::string version_owner(const std::string& id, std::uint64_t version) {
  return "docver:" + id + ":" + std::to_string(version);
}

// Row authentication over the clear columns that decide access (level, categories, custodian,
// current version; a version's state, size and chunk count): set on write, checked on read.
void mac_document_row(const auth::Runtime& rt, storage::DocumentRow& row);
Result<void> check_document_row(const auth::Runtime& rt, const storage::DocumentRow& row);
void mac_version_row(const auth::Runtime& rt, storage::VersionRow& row);
Result<void> check_version_row(const auth::Runtime& rt, const storage::VersionRow& row);

// The plaintext digest of a committed version, sealed under that version's data key.
Bytes seal_version_digest(const auth::Runtime& rt, const crypto::SecretKey& key,
                          const storage::VersionRow& row, std::string_view sha256_hex);
Result<std::string> open_version_digest(const auth::Runtime& rt, const storage::VersionRow& row);

}  // namespace baomi::services
