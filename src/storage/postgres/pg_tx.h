// PgTx: the Tx operations over one PostgreSQL connection inside an open transaction.
// Read jobs see it as ReadTx (a REPEATABLE READ READ ONLY snapshot); write jobs as WriteTx (the
// writer's group commit).
#pragma once

#include <string>
#include <unordered_map>

#include "storage/postgres/pg_conn.h"
#include "storage/store.h"

namespace baomi::storage::postgres {

class PgTx final : public WriteTx {
 public:
  explicit PgTx(Conn& conn) : conn_(conn) {}

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
  // CREATE TABLE / INDEX IF NOT EXISTS for a declared table (PgStore::ensure_tables).
  Result<void> create_table(const Table& table);

 private:
  // The SQL of get_row, insert_row and delete_row for `table`, built once per transaction (as
  // SqliteTx keeps it): they run on every sealed read and write.
  // `table` and `columns` are checked against the declaration, should another table come to
  // live at the same address.
  struct TableSql {
    std::string table;
    std::size_t columns = 0;
    std::string get, insert, erase;
  };
  const TableSql& sql_for(const Table& table);

  Conn& conn_;
  std::unordered_map<const Table*, TableSql> sql_;
};

}  // namespace baomi::storage::postgres
