#include "services/documents/document_record.h"

namespace baomi::services {
namespace {

std::string document_owner(const DocumentRecord& d) { return "doc:" + d.id; }
std::string document_seal_id(const DocumentRecord& d) { return d.id; }
std::string owner_of_version(const DocumentVersion& v) {
  return version_owner(v.document_id, v.version);
}

barrier::Value document_state_value(const DocumentVersion& v) {
  switch (v.state) {
    case VersionState::kCommitted:
      return barrier::Value(std::string("committed"));
    case VersionState::kDestroyed:
      return barrier::Value(std::string("destroyed"));
    case VersionState::kPending:
      break;
  }
  return barrier::Value(std::string("pending"));
}

Result<void> set_document_state(DocumentVersion& v, const barrier::Value& value) {
  const auto* text = std::get_if<std::string>(&value);
  if (text && *text == "committed") {
    v.state = VersionState::kCommitted;
  } else if (text && *text == "pending") {
    v.state = VersionState::kPending;
  } else if (text && *text == "destroyed") {
    v.state = VersionState::kDestroyed;
  } else {
    return Error::integrity("a stored version has an unknown state");
  }
  return {};
}

}  // namespace

const barrier::RecordType<DocumentRecord>& document_record_type() {
  // The wrapped key and the sealed fields stay outside the MAC, as before the record layer:
  // AEAD with the document id as associated data already binds them to their document.
  static const auto type =
      barrier::RecordType<DocumentRecord>("documents")
          .key("id", &DocumentRecord::id)
          .text("level", &DocumentRecord::level)
          .text("categories", &DocumentRecord::categories)
          .text("custodian_id", &DocumentRecord::custodian_id)
          .text("author_id", &DocumentRecord::author_id)
          .optional_time("secret_until", &DocumentRecord::secret_until)
          .data_key("wrapped_key", document_owner, document_seal_id)
          .outside_mac()
          .sealed("sealed_title", "title", &DocumentRecord::title)
          .outside_mac()
          .sealed("sealed_description", "description", &DocumentRecord::description)
          .outside_mac()
          .number("current_version", &DocumentRecord::current_version)
          .time("created_at", &DocumentRecord::created_at)
          .mac("mac")
          .cached();  // every read of a document opens it (issue 14)
  return type;
}

const barrier::RecordType<DocumentVersion>& version_record_type() {
  // The content key is the version's data key; the digest is sealed only once it is known (a
  // pending version stores none), and both stay outside the MAC as before the record layer.
  static const auto type =
      barrier::RecordType<DocumentVersion>("versions")
          .key("document_id", &DocumentVersion::document_id)
          .key("version", &DocumentVersion::version)
          .custom({"state", barrier::ColumnType::kText, false}, document_state_value,
                  set_document_state)
          .data_key("wrapped_key", owner_of_version, owner_of_version,
                    &DocumentVersion::wrapped_key)
          .outside_mac()
          .text("content_type", &DocumentVersion::content_type)
          .number("size", &DocumentVersion::size)
          .number("chunk_count", &DocumentVersion::chunk_count)
          .sealed("sealed_sha256", "sha256", &DocumentVersion::sha256)
          .outside_mac()
          .unset_when_empty()
          .text("created_by", &DocumentVersion::created_by)
          .time("created_at", &DocumentVersion::created_at)
          .mac("mac")
          // S5, H3: the MAC covers the state, so "destroyed" cannot be undone by an edit.
          .shredded_when(
              [](const DocumentVersion& v) { return v.state == VersionState::kDestroyed; })
          .cached();  // a document's metadata names its current version
  return type;
}

}  // namespace baomi::services
