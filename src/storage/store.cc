#include "storage/store.h"

#include <utility>

namespace baomi::storage {

Result<void> ReadTx::scan_rows_each(const Table& table, const Scan& scan,
                                    const std::function<bool(Row&)>& fn) {
  return scan_views(table, scan, [&fn](const RowView& view) {
    Row row = view.to_row();
    return fn(row);
  });
}

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
