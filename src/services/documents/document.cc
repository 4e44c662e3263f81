#include "services/documents/document.h"

namespace baomi::services {

policy::Resource resource_of(const Document& doc) {
  policy::Resource r;
  r.level = doc.level;
  r.categories = doc.categories;
  r.custodian_id = doc.custodian_id;
  r.author_id = doc.author_id;
  return r;
}

bool is_text_content(std::string_view content_type) {
  constexpr std::string_view kText = "text/";
  if (content_type.size() < kText.size()) return false;
  for (std::size_t i = 0; i < kText.size(); ++i) {
    const char c = content_type[i];
    if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != kText[i]) return false;
  }
  return true;
}

}  // namespace baomi::services
