#include "services/documents/upload_leases.h"

namespace baomi::services {

bool UploadLeases::acquire(const std::string& document_id, std::uint64_t version) {
  std::lock_guard lock(mu_);
  return held_.emplace(document_id, version).second;
}

void UploadLeases::release(const std::string& document_id, std::uint64_t version) {
  std::lock_guard lock(mu_);
  held_.erase({document_id, version});
}

bool UploadLeases::held(const std::string& document_id, std::uint64_t version) const {
  std::lock_guard lock(mu_);
  return held_.count({document_id, version}) > 0;
}

}  // namespace baomi::services
