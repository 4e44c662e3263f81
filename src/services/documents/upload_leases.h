// UploadLeases: which pending versions an upload in this process is still writing. A pending
// version row that no live upload holds is a leftover of an upload whose clean-up could not be
// written (a failing disk, a store outage: issue 16, I1), and must not block the document's next
// upload until a restart. One server process owns an SQLite store, so its own leases are the
// whole truth; a store shared by several processes needs the lease in the row instead.
// Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <utility>

namespace baomi::services {

class UploadLeases {
 public:
  // Takes the lease on (document, version); false when an upload already holds it.
  bool acquire(const std::string& document_id, std::uint64_t version);
  void release(const std::string& document_id, std::uint64_t version);
  bool held(const std::string& document_id, std::uint64_t version) const;

 private:
  mutable std::mutex mu_;
  std::set<std::pair<std::string, std::uint64_t>> held_;
};

// Releases a lease when the upload that took it ends, however it ends.
class UploadLease {
 public:
  UploadLease(UploadLeases& leases, std::string document_id, std::uint64_t version)
      : leases_(&leases), document_id_(std::move(document_id)), version_(version) {}
  ~UploadLease() {
    if (leases_ != nullptr) leases_->release(document_id_, version_);
  }
  UploadLease(const UploadLease&) = delete;
  UploadLease& operator=(const UploadLease&) = delete;

 private:
  UploadLeases* leases_;
  std::string document_id_;
  std::uint64_t version_;
};

}  // namespace baomi::services
