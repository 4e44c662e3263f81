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

Result<std::optional<RowBeside>> ReadTx::get_row_beside(const Table& table, const Row& key,
                                                        const Beside& beside) {
  BAOMI_ASSIGN_OR_RETURN(auto row, get_row(table, key));
  if (!row) return std::optional<RowBeside>();
  Scan scan;
  scan.where = beside.where;
  scan.order_by = {beside.order_by};
  scan.descending = beside.descending;
  scan.limit = 1;
  BAOMI_ASSIGN_OR_RETURN(auto rows, scan_rows(*beside.table, scan));
  RowBeside out{std::move(*row), Value()};
  if (!rows.empty()) out.beside = std::move(rows.front()[beside.table->position(beside.column)]);
  return std::optional<RowBeside>(std::move(out));
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
