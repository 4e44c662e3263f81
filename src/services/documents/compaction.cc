// Compaction (S5, H3): the ciphertext of destroyed versions goes after their keys. Once a
// version's data key is erased its chunks are random bytes to everyone; they are removed in
// bounded batches at start-up and with each maintenance sweep, each batch audited as "system".
#include "audit/detail.h"
#include "services/documents/documents.h"

namespace baomi::services {
namespace {

constexpr std::size_t kVersionsPerJob = 16;

}  // namespace

Result<std::size_t> Documents::compact_destroyed() const {
  std::size_t total = 0;
  for (;;) {
    std::size_t compacted = 0;
    BAOMI_TRY(rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
      compacted = 0;
      BAOMI_ASSIGN_OR_RETURN(auto due, records_.destroyed_with_chunks(tx, kVersionsPerJob));
      std::vector<std::string> versions;
      for (auto& v : due) {
        BAOMI_TRY(records_.erase_stray_chunks(tx, v.document_id, v.version));
        v.chunk_count = 0;  // the tombstone row says its ciphertext is gone too
        BAOMI_TRY(records_.erase_version_key(tx, v));
        versions.emplace_back(v.document_id + ":" + std::to_string(v.version));
        ++compacted;
      }
      if (compacted == 0) return {};
      BAOMI_TRY(
          rt_.audit.append(tx,
                           {"system", "document.compact", "documents", "allow", "H3",
                            audit::Detail{}.add("count", compacted).add("versions", versions)},
                           rt_.now()));
      return {};
    }));
    total += compacted;
    if (compacted < kVersionsPerJob) return total;
  }
}

}  // namespace baomi::services
