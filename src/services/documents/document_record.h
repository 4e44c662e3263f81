// Documents and their versions as stored, declared once for the sealed-record layer
// (barrier/record_type.h). A document's title and description are sealed under its own data key
// ("doc:<id>"); the MAC covers the clear columns that decide access (level, categories,
// custodian, author, secrecy term, current version). A version's data key ("docver:<id>:<n>")
// is also its content key; its plaintext digest is sealed under it, and the MAC covers its
// state, type, size and chunk count. The record ledger keeps a database editor from putting back
// an older row of either (an undone declassification, a pending version over a committed one:
// I1, S4). Same table layouts and MAC bytes as before the record layer, so stored documents open.
#pragma once

#include <optional>
#include <string>

#include "barrier/content_stream.h"
#include "barrier/record_type.h"
#include "core/bytes.h"
#include "core/time.h"

namespace baomi::services {

// A document as stored: policy-typed values (services::Document) by their stored names.
struct DocumentRecord {
  std::string id;
  std::string level;       // level name
  std::string categories;  // comma-separated category names
  std::string custodian_id;
  std::string author_id;
  std::optional<TimePoint> secret_until;
  std::string title;
  std::string description;
  std::uint64_t current_version = 0;  // 0 = no content yet
  TimePoint created_at;
};

enum class VersionState { kPending, kCommitted, kDestroyed };

// One version of a document's content. Pending versions are uploads still being written: never
// served, and removed when their upload fails or at start-up. A destroyed version (S5, H3) has
// had its data key erased: its row stays as a tombstone (size, type, chunk count), its wrapped
// key and sealed digest are empty, and its chunks can never be decrypted again.
struct DocumentVersion {
  std::string document_id;
  std::uint64_t version = 0;
  VersionState state = VersionState::kPending;
  Bytes wrapped_key;  // the content data key, wrapped (barrier/wrapped_key.h)
  std::string content_type;
  std::uint64_t size = 0;
  std::uint64_t chunk_count = 0;
  std::string sha256;  // hex digest of the plaintext; "" while pending
  std::string created_by;
  TimePoint created_at;
};

inline std::string version_owner(const std::string& id, std::uint64_t version) {
  return barrier::ContentStream::document_version(id, version).key_owner();
}

const barrier::RecordType<DocumentRecord>& document_record_type();
const barrier::RecordType<DocumentVersion>& version_record_type();

}  // namespace baomi::services
