// SqliteTx: the Tx operations over one connection inside an open transaction.
// Read jobs see it as ReadTx (on a query_only connection); write jobs as WriteTx.
#pragma once

#include "storage/sqlite/db.h"
#include "storage/sqlite/generated_sql.h"
#include "storage/store.h"

namespace baomi::storage::sqlite {

class SqliteTx final : public WriteTx {
 public:
  explicit SqliteTx(Db& db) : db_(db) {}

  Result<std::optional<Row>> get_row(const Table& table, const Row& key) override;
  Result<std::vector<Row>> scan_rows(const Table& table, const Scan& scan) override;
  Result<std::optional<RowBeside>> get_row_beside(const Table& table, const Row& key,
                                                  const Beside& beside) override;
  Result<void> scan_views(const Table& table, const Scan& scan,
                          const std::function<bool(const RowView&)>& fn) override;
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
  // The SQL of get_row, insert_row and delete_row for `table`, generated once per connection
  // (generated_sql.h): they run on every sealed read and write (the audit entry, its tree nodes,
  // the ledger).
  const GeneratedSql::TableSql& sql_for(const Table& table);

  Db& db_;
};

}  // namespace baomi::storage::sqlite
