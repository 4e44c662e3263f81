// Matter: what a request, a copy or an incident is about — one document, or the customer
// register (C2: a bulk export of customer records is a request and a copy like any other).
// The policy sees a Matter as a Resource; approvers must be entitled to its `read_action`.
// A plain value; the Resource it returns points into it, so keep the Matter alive while the
// Resource is used.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "services/documents/document.h"

namespace baomi::services {

inline constexpr std::string_view kCustomerRegisterTarget = "customers";

struct Matter {
  std::optional<Document> doc;  // none: the customer register
  policy::Level level = policy::Level::kTopSecret;
  policy::CategorySet categories = 0;
  std::string custodian_id;  // the register has none: the security administrator stands in
  policy::Action read_action = policy::Action::kReadDocumentContent;

  bool is_document() const { return doc.has_value(); }
  std::string document_id() const { return doc ? doc->id : std::string(); }
  policy::Resource resource(std::string_view holder_id = {}) const;
  std::string target() const;
};

Matter document_matter(Document doc);
// C2: customer records at or below `level` whose categories `categories` covers.
Matter customer_register_matter(policy::Level level, policy::CategorySet categories);

}  // namespace baomi::services
