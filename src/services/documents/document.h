// Document: a classified document as services see it (metadata decrypted, policy-typed). How
// it is stored is declared once in document_record.h; services read and write documents and
// their versions through DocumentRepository (document_repository.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "policy/model.h"

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
  // S5, H3 (lifecycle_record.h): the floor chosen at creation, a legal hold, the destruction.
  std::optional<TimePoint> retain_until;
  bool legal_hold = false;
  std::optional<TimePoint> destroyed_at;  // set: its keys are erased; title and content gone
  bool has_lifecycle = false;             // a lifecycle row is stored (documents since retention)
};

// The policy's view of a document.
policy::Resource resource_of(const Document& doc);

// text/* content: UTF-8 text that readers may copy from (views are fingerprinted, S7).
bool is_text_content(std::string_view content_type);

inline std::string document_target(const std::string& id) { return "document:" + id; }

}  // namespace baomi::services
