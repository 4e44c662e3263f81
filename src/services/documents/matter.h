// Matter: what a request, a copy or an incident is about — one document, the customer
// register (C2: a bulk export of customer records is a request and a copy like any other), or
// a restricted area a visit request is for (S11: its keepers stand where a custodian stands).
// The policy sees a Matter as a Resource; approvers must be entitled to its `read_action`.
// A plain value; the Resource it returns points into it, so keep the Matter alive while the
// Resource is used.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/documents/document.h"

namespace baomi::services {

inline constexpr std::string_view kCustomerRegisterTarget = "customers";

struct Matter {
  std::optional<Document> doc;  // none: the customer register
  policy::Level level = policy::Level::kTopSecret;
  policy::CategorySet categories = 0;
  std::string custodian_id;  // the register has none: the security administrator stands in
  policy::Action read_action = policy::Action::kReadDocumentContent;
  std::optional<std::string> area_id;  // S11: a visit request's area
  std::vector<std::string> keepers;    // S11: the area's keepers

  bool is_document() const { return doc.has_value(); }
  bool keeps(std::string_view user_id) const {
    return std::find(keepers.begin(), keepers.end(), user_id) != keepers.end();
  }
  std::string document_id() const { return doc ? doc->id : std::string(); }
  policy::Resource resource(std::string_view holder_id = {}) const;
  std::string target() const;
};

Matter document_matter(Document doc);
// C2: customer records at or below `level` whose categories `categories` covers.
Matter customer_register_matter(policy::Level level, policy::CategorySet categories);
// S11: a restricted area at `level`, kept by `keepers`.
Matter area_matter(std::string area_id, policy::Level level, std::vector<std::string> keepers);

}  // namespace baomi::services
