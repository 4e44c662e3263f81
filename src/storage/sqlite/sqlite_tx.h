// SqliteTx: the Tx operations over one connection inside an open transaction.
// Read jobs see it as ReadTx (on a query_only connection); write jobs as WriteTx.
#pragma once

#include <utility>
#include <vector>

#include "storage/sqlite/chunk_files.h"
#include "storage/sqlite/db.h"
#include "storage/sqlite/generated_sql.h"
#include "storage/store.h"

namespace baomi::storage::sqlite {

class SqliteTx final : public WriteTx {
 public:
  // `chunks`: where content chunks go (chunk_files.h); null keeps them in the chunks table
  // (a scratch copy such as a backup's snapshot).
  explicit SqliteTx(Db& db, ChunkFiles* chunks = nullptr) : db_(db), chunks_(chunks) {}

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

  // Content chunks: in chunk files indexed by chunk_files; chunks in the chunks table (written
  // before issue 14, or copied in by a restore) are still read and removed.
  Result<void> read_chunk(const std::string& document_id, std::uint64_t version,
                          std::uint64_t index, Bytes& out) override;
  Result<void> write_chunk(const std::string& document_id, std::uint64_t version,
                           std::uint64_t index, const Bytes& sealed) override;
  Result<void> delete_chunks(const std::string& document_id, std::uint64_t version) override;
  Result<std::vector<Row>> scan_chunks(const std::optional<Row>& after, std::size_t limit) override;
  // The chunk files whose versions this job removed: unlinked once the commit is durable
  // (SqliteStore::commit_batch), dropped when the job is rolled back.
  std::vector<ChunkFiles::Version> take_removed_chunk_files() {
    return std::exchange(removed_, {});
  }
  // Whether the database indexes any chunk of the version (ChunkFiles::sweep).
  Result<bool> indexes_chunk_file(const ChunkFiles::Version& v);

  // CREATE TABLE / INDEX IF NOT EXISTS for a declared table (SqliteStore::ensure_tables).
  Result<void> create_table(const Table& table);

 private:
  // The SQL of get_row, insert_row and delete_row for `table`, generated once per connection
  // (generated_sql.h): they run on every sealed read and write (the audit entry, its tree nodes,
  // the ledger).
  const GeneratedSql::TableSql& sql_for(const Table& table);

  Db& db_;
  ChunkFiles* chunks_;
  std::vector<ChunkFiles::Version> removed_;
};

}  // namespace baomi::storage::sqlite
