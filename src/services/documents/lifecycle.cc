#include "services/documents/lifecycle.h"

#include <algorithm>

namespace baomi::services {

Error destroyed_error() {
  return Error::gone("destroyed", "the document was destroyed: its keys are erased", "H3");
}

Error version_destroyed_error() {
  return Error::gone("version_destroyed", "this version was destroyed: its key is erased", "H3");
}

TimePoint retention_floor(const policy::Policy& policy, const Document& doc) {
  const auto by_policy = policy.retention_floor(doc.level, doc.categories, doc.created_at);
  return doc.retain_until ? std::max(*doc.retain_until, by_policy) : by_policy;
}

Result<void> check_destroyable(const policy::Policy& policy, const Document& doc, TimePoint now) {
  if (doc.destroyed_at) return destroyed_error();
  if (doc.legal_hold) {
    return Error::conflict("legal_hold", "the document is under a legal hold", "H3");
  }
  const auto floor = retention_floor(policy, doc);
  if (now < floor) {
    return Error::conflict("retention", "the document must be kept until " + format_rfc3339(floor),
                           "H3");
  }
  return {};
}

}  // namespace baomi::services
