// SqliteTx: the Tx operations over one connection inside an open transaction.
// Read jobs see it as ReadTx (on a query_only connection); write jobs as WriteTx.
#pragma once

#include <string>
#include <unordered_map>

#include "storage/sqlite/db.h"
#include "storage/store.h"

namespace baomi::storage::sqlite {

class SqliteTx final : public WriteTx {
 public:
  explicit SqliteTx(Db& db) : db_(db) {}

  Result<std::optional<Row>> get_row(const Table& table, const Row& key) override;
  Result<std::vector<Row>> scan_rows(const Table& table, const Scan& scan) override;
  Result<void> scan_rows_each(const Table& table, const Scan& scan,
                              const std::function<bool(Row&)>& fn) override;
  Result<std::size_t> free_pages() override;
  Result<std::vector<std::string>> table_names() override;

  Result<void> insert_row(const Table& table, const Row& row) override;
  Result<void> update_row(const Table& table, const Row& row,
                          const std::optional<Condition>& expect) override;
  Result<void> delete_row(const Table& table, const Row& key) override;
  Result<void> delete_rows(const Table& table, const std::vector<Condition>& where) override;
  Result<std::size_t> reclaim_free_pages(std::size_t max_pages) override;
  // CREATE TABLE / INDEX IF NOT EXISTS for a declared table (SqliteStore::ensure_tables).
  Result<void> create_table(const Table& table);

 private:
  Db& db_;
  // get_row's SQL by declared table, for this transaction; checked against the table's name and
  // width, should another table come to live at the same address.
  struct CachedSql {
    std::string table;
    std::size_t columns = 0;
    std::string sql;
  };
  std::unordered_map<const Table*, CachedSql> get_row_sql_;
};

}  // namespace baomi::storage::sqlite
