#include "storage/meta.h"

#include <utility>

namespace baomi::storage {

const Table& meta_table() {
  static const Table table{
      "meta", {{"key", ColumnType::kText}, {"value", ColumnType::kBlob}}, 1, {}};
  return table;
}

Result<std::optional<Bytes>> get_meta(ReadTx& tx, const std::string& key) {
  BAOMI_ASSIGN_OR_RETURN(auto row, tx.get_row(meta_table(), {key}));
  if (!row) return std::optional<Bytes>();
  return std::optional<Bytes>(std::move(std::get<Bytes>((*row)[1])));
}

Result<void> put_meta(WriteTx& tx, const std::string& key, const Bytes& value) {
  Row row{key, value};
  auto updated = tx.update_row(meta_table(), row, std::nullopt);
  if (updated.ok() || updated.error().kind != ErrorKind::kNotFound) return updated;
  return tx.insert_row(meta_table(), row);
}

}  // namespace baomi::storage
