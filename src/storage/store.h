// Store: the untrusted, interchangeable persistence interface (SQLite now, PostgreSQL later).
// It stores opaque sealed bytes plus clear query columns; it knows nothing of keys or policy.
//
// Writes run as jobs on one writer and are group-committed: many concurrent jobs share one
// durable transaction, each inside its own savepoint, so a job that fails rolls back alone and
// a commit that fails fails every job in it (fail closed). `write` returns only once the job's
// effects are durable. Reads run on pooled connections with snapshot isolation.
// Thread-safety: Store is safe to use from any number of threads; a Tx is confined to the job.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "storage/records.h"
#include "storage/table.h"

namespace baomi::storage {

class ReadTx {
 public:
  virtual ~ReadTx() = default;

  virtual Result<std::optional<Bytes>> get_meta(const std::string& key) = 0;
  // Pages of the database file that hold nothing (deleted rows not yet given back).
  virtual Result<std::size_t> free_pages() = 0;
  virtual Result<std::vector<KekRow>> list_keks() = 0;
  // The names of the database's tables, sorted (the engine's own catalogue excluded).
  virtual Result<std::vector<std::string>> table_names() = 0;

  // Rows of declared tables (storage/table.h); `key` holds the key columns' values.
  virtual Result<std::optional<Row>> get_row(const Table& table, const Row& key) = 0;
  virtual Result<std::vector<Row>> scan_rows(const Table& table, const Scan& scan) = 0;
  // Rollback detection (I1): the MAC of the latest write of a sealed record, this job's
  // pending writes included; "" when it was deleted, nullopt when no write was ever recorded.
  virtual Result<std::optional<std::string>> latest_record_write(const std::string& table,
                                                                 const std::string& key) = 0;
  // Every recorded write with the seq of the audit entry that committed to it, in seq order;
  // stops early (and returns ok) when fn returns false.
  virtual Result<void> scan_record_writes(
      const std::function<bool(std::uint64_t seq, const RecordWrite&)>& fn) = 0;
  // The latest write of every record, ordered by table and key; same stopping rule.
  virtual Result<void> scan_latest_record_writes(
      const std::function<bool(const RecordWrite&)>& fn) = 0;



  // Content chunks of document versions (sealed blobs; the version rows are declared records):
  // reads one sealed chunk into `out` (reusing its capacity).
  virtual Result<void> read_chunk(const std::string& document_id, std::uint64_t version,
                                  std::uint64_t index, Bytes& out) = 0;



  // Sealed blobs that are not document versions (e.g. an investigation's evidence, S10): chunk
  // `index` of the blob `owner` into `out`; kIntegrity when it is missing.
  virtual Result<void> read_blob_chunk(const std::string& owner, std::uint64_t index,
                                       Bytes& out) = 0;

  virtual Result<std::optional<AuditRow>> last_audit_entry() = 0;
  virtual Result<std::vector<AuditRow>> query_audit(const AuditQuery& q) = 0;
  // Calls fn for every entry in seq order; stops early (and returns ok) when fn returns false.
  virtual Result<void> scan_audit(const std::function<bool(const AuditRow&)>& fn) = 0;
  virtual Result<std::vector<CheckpointRow>> list_checkpoints() = 0;
  virtual Result<std::optional<CheckpointRow>> latest_checkpoint() = 0;
  virtual Result<std::optional<AuditRow>> get_audit_entry(std::uint64_t seq) = 0;
  // The audit Merkle tree (I1, S10; sqlite_audit_tree.cc): the hash of the perfect subtree at
  // `level` >= 1 and `index` (leaves are derived from the entries' hashes, not stored).
  virtual Result<std::optional<Bytes>> get_audit_tree_node(unsigned level, std::uint64_t index) = 0;
  virtual Result<std::vector<TreeHeadRow>> list_tree_heads() = 0;
  virtual Result<std::optional<TreeHeadRow>> latest_tree_head() = 0;
  // The smallest signed tree head whose tree_size is at least `min_size`.
  virtual Result<std::optional<TreeHeadRow>> first_tree_head_from(std::uint64_t min_size) = 0;
};

class WriteTx : public ReadTx {
 public:
  virtual Result<void> put_meta(const std::string& key, const Bytes& value) = 0;
  virtual Result<void> insert_kek(const KekRow& row) = 0;

  // Conflict when the key (or a unique index) is taken.
  virtual Result<void> insert_row(const Table& table, const Row& row) = 0;
  // Replaces the stored row with row's key, if `expect` holds for the stored row (optimistic
  // concurrency): conflict when it does not, not_found when there is no such row.
  virtual Result<void> update_row(const Table& table, const Row& row,
                                  const std::optional<Condition>& expect) = 0;
  // not_found when there is no such row.
  virtual Result<void> delete_row(const Table& table, const Row& key) = 0;
  // The write set of this job: sealed-record writes waiting for the audit entry that commits
  // to them (audit_log.h). A later write of the same record replaces the earlier one. A job
  // that ends with writes not committed to fails (the store rolls it back).
  virtual void note_record_write(RecordWrite write) = 0;
  virtual std::vector<RecordWrite> take_record_writes() = 0;
  virtual Result<void> insert_record_writes(std::uint64_t seq,
                                            const std::vector<RecordWrite>& writes) = 0;



  // Gives up to `max_pages` free pages back to the file system (the file shrinks); returns how
  // many. Only databases created with incremental auto-vacuum can; others return 0.
  virtual Result<std::size_t> reclaim_free_pages(std::size_t max_pages) = 0;
  // Conflict when (document_id, version, index) exists.
  virtual Result<void> write_chunk(const std::string& document_id, std::uint64_t version,
                                   std::uint64_t index, const Bytes& sealed) = 0;
  // Removes every chunk of the version (none is fine).
  virtual Result<void> delete_chunks(const std::string& document_id, std::uint64_t version) = 0;



  // Conflict when (owner, index) exists: blobs are written once.
  virtual Result<void> write_blob_chunk(const std::string& owner, std::uint64_t index,
                                        const Bytes& sealed) = 0;

  virtual Result<void> insert_audit(const AuditRow& row) = 0;
  virtual Result<void> insert_checkpoint(const CheckpointRow& row) = 0;
  virtual Result<void> insert_audit_tree_node(unsigned level, std::uint64_t index,
                                              const Bytes& hash) = 0;
  // Removes every stored node (before a rebuild of the derived tree).
  virtual Result<void> clear_audit_tree() = 0;
  virtual Result<void> insert_tree_head(const TreeHeadRow& row) = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  using WriteJob = std::function<Result<void>(WriteTx&)>;
  using ReadJob = std::function<Result<void>(ReadTx&)>;
  // Runs `job` in the writer's next group commit; returns after the commit is durable.
  virtual Result<void> write(WriteJob job) = 0;
  virtual Result<void> read(const ReadJob& job) = 0;
  // Creates the declared tables and their indexes where missing (idempotent).
  virtual Result<void> ensure_tables(const std::vector<const Table*>& tables) = 0;
  // Stops accepting writes, finishes queued ones and joins the writer (idempotent).
  virtual void close() = 0;
};

}  // namespace baomi::storage
