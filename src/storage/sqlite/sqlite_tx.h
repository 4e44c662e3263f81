// SqliteTx: the Tx operations over one connection inside an open transaction.
// Read jobs see it as ReadTx (on a query_only connection); write jobs as WriteTx.
#pragma once

#include "storage/sqlite/db.h"
#include "storage/store.h"

namespace baomi::storage::sqlite {

class SqliteTx final : public WriteTx {
 public:
  explicit SqliteTx(Db& db) : db_(db) {}

  Result<std::optional<Bytes>> get_meta(const std::string& key) override;
  Result<std::size_t> free_pages() override;
  Result<std::vector<KekRow>> list_keks() override;
  Result<std::vector<std::string>> table_names() override;
  Result<std::optional<Row>> get_row(const Table& table, const Row& key) override;
  Result<std::vector<Row>> scan_rows(const Table& table, const Scan& scan) override;
  Result<std::optional<std::string>> latest_record_write(const std::string& table,
                                                         const std::string& key) override;
  Result<void> scan_record_writes(
      const std::function<bool(std::uint64_t, const RecordWrite&)>& fn) override;
  Result<void> scan_latest_record_writes(
      const std::function<bool(const RecordWrite&)>& fn) override;
  Result<void> read_blob_chunk(const std::string& owner, std::uint64_t index, Bytes& out) override;
  Result<void> read_chunk(const std::string& document_id, std::uint64_t version,
                          std::uint64_t index, Bytes& out) override;
  Result<std::optional<AuditRow>> last_audit_entry() override;
  Result<std::vector<AuditRow>> query_audit(const AuditQuery& q) override;
  Result<void> scan_audit(const std::function<bool(const AuditRow&)>& fn) override;
  Result<std::vector<CheckpointRow>> list_checkpoints() override;
  Result<std::optional<CheckpointRow>> latest_checkpoint() override;
  Result<std::optional<AuditRow>> get_audit_entry(std::uint64_t seq) override;
  Result<std::optional<Bytes>> get_audit_tree_node(unsigned level, std::uint64_t index) override;
  Result<std::vector<TreeHeadRow>> list_tree_heads() override;
  Result<std::optional<TreeHeadRow>> latest_tree_head() override;
  Result<std::optional<TreeHeadRow>> first_tree_head_from(std::uint64_t min_size) override;

  Result<void> put_meta(const std::string& key, const Bytes& value) override;
  Result<void> insert_kek(const KekRow& row) override;
  Result<void> insert_row(const Table& table, const Row& row) override;
  Result<void> update_row(const Table& table, const Row& row,
                          const std::optional<Condition>& expect) override;
  Result<void> delete_row(const Table& table, const Row& key) override;
  void note_record_write(RecordWrite write) override;
  std::vector<RecordWrite> take_record_writes() override;
  Result<void> insert_record_writes(std::uint64_t seq,
                                    const std::vector<RecordWrite>& writes) override;
  // CREATE TABLE / INDEX IF NOT EXISTS for a declared table (SqliteStore::ensure_tables).
  Result<void> create_table(const Table& table);
  Result<std::size_t> reclaim_free_pages(std::size_t max_pages) override;
  Result<void> write_blob_chunk(const std::string& owner, std::uint64_t index,
                                const Bytes& sealed) override;
  Result<void> write_chunk(const std::string& document_id, std::uint64_t version,
                           std::uint64_t index, const Bytes& sealed) override;
  Result<void> delete_chunks(const std::string& document_id, std::uint64_t version) override;
  Result<void> insert_audit(const AuditRow& row) override;
  Result<void> insert_checkpoint(const CheckpointRow& row) override;
  Result<void> insert_audit_tree_node(unsigned level, std::uint64_t index,
                                      const Bytes& hash) override;
  Result<void> clear_audit_tree() override;
  Result<void> insert_tree_head(const TreeHeadRow& row) override;

 private:
  Db& db_;
  std::vector<RecordWrite> pending_writes_;  // this job's, until the audit entry takes them
};

}  // namespace baomi::storage::sqlite
