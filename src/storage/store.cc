#include "storage/store.h"

#include <utility>

namespace baomi::storage {

void WriteTx::note_record_write(RecordWrite write) {
  for (auto& pending : pending_writes_) {
    if (pending.table == write.table && pending.key == write.key) {
      pending.mac = std::move(write.mac);
      return;
    }
  }
  pending_writes_.push_back(std::move(write));
}

std::vector<RecordWrite> WriteTx::take_record_writes() {
  return std::exchange(pending_writes_, {});
}

}  // namespace baomi::storage
