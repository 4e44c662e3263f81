#include "storage/transfer.h"

#include "storage/chunks.h"

namespace baomi::storage {
namespace {

// Rows of one page when a table holds bulk sealed bytes, and otherwise.
constexpr std::size_t kBulkPageRows = 8;  // 2 MiB of 256 KiB chunks
constexpr std::size_t kPageRows = 500;

}  // namespace

bool is_retired_table(std::string_view name) {
  return name == "login_failures" || name == "chunk_files";
}

bool is_database_meta(std::string_view key) {
  return key == "schema_version" || key.starts_with("lease.");
}

std::size_t transfer_page_rows(const Table& table) {
  return table.name == "chunks" || table.name == "blobs" ? kBulkPageRows : kPageRows;
}

Result<void> for_each_row(ReadTx& tx, const Table& table,
                          const std::function<Result<void>(const Row&)>& fn) {
  Scan scan;
  for (std::size_t i = 0; i < table.key_size; ++i) scan.order_by.push_back(table.columns[i].name);
  scan.limit = transfer_page_rows(table);
  for (;;) {
    BAOMI_ASSIGN_OR_RETURN(auto rows, table.name == chunk_table().name
                                          ? tx.scan_chunks(scan.after_key, scan.limit)
                                          : tx.scan_rows(table, scan));
    for (const auto& row : rows) BAOMI_TRY(fn(row));
    if (rows.size() < scan.limit) return {};
    const Row& last = rows.back();
    scan.after_key = Row(last.begin(), last.begin() + static_cast<std::ptrdiff_t>(table.key_size));
  }
}

Result<bool> table_is_empty(ReadTx& tx, const Table& table) {
  if (table.name == chunk_table().name) {
    BAOMI_ASSIGN_OR_RETURN(auto rows, tx.scan_chunks(std::nullopt, 1));
    return rows.empty();
  }
  if (table.name != "meta") {
    Scan scan;
    scan.limit = 1;
    BAOMI_ASSIGN_OR_RETURN(auto rows, tx.scan_rows(table, scan));
    return rows.empty();
  }
  bool empty = true;
  BAOMI_TRY(for_each_row(tx, table, [&](const Row& row) -> Result<void> {
    const auto* key = std::get_if<std::string>(&row[0]);
    if (key == nullptr || !is_database_meta(*key)) empty = false;
    return {};
  }));
  return empty;
}

}  // namespace baomi::storage
