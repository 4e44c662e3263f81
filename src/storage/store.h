// Store: the untrusted, interchangeable persistence interface (SQLite now, PostgreSQL later).
// It stores opaque sealed bytes plus clear query columns; it knows nothing of keys or policy.
//
// Writes run as jobs on one writer and are group-committed: many concurrent jobs share one
// durable transaction, each inside its own savepoint, so a job that fails rolls back alone and
// a commit that fails fails every job in it (fail closed). `write` returns only once the job's
// effects are durable. Reads run on pooled connections with snapshot isolation.
// Thread-safety: Store is safe to use from any number of threads; a Tx is confined to the job.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "storage/table.h"

namespace baomi::storage {

class ReadTx {
 public:
  virtual ~ReadTx() = default;

  // Rows of declared tables (storage/table.h); `key` holds the key columns' values.
  virtual Result<std::optional<Row>> get_row(const Table& table, const Row& key) = 0;
  virtual Result<std::vector<Row>> scan_rows(const Table& table, const Scan& scan) = 0;
  // The same rows streamed in order, as views into the engine's buffer (no copy, no allocation
  // per row; valid only during fn): fn may run statements of its own on this transaction; it
  // stops the scan (and the call returns ok) by returning false. `scan.order_by` must hold
  // every key column, so that an engine may page through a table of any size with bounded
  // memory.
  virtual Result<void> scan_views(const Table& table, const Scan& scan,
                                  const std::function<bool(const RowView&)>& fn) = 0;
  // scan_views with each row copied out: fn may take the row's values.
  Result<void> scan_rows_each(const Table& table, const Scan& scan,
                              const std::function<bool(Row&)>& fn);
  // get_row(), with `beside` looked up for the row found: one statement where the engine can
  // (SQLite: a scalar subquery), two otherwise (this default). The value is NULL (monostate)
  // when no row of `beside.table` matches; nullopt (and nothing looked up) when there is no row
  // under `key`. For the record ledger's latest write of the record read (issue 14).
  virtual Result<std::optional<RowBeside>> get_row_beside(const Table& table, const Row& key,
                                                          const Beside& beside);

  // The sealed content chunk (document_id, version, index) into `out` (storage/chunks.h):
  // kIntegrity when it is missing or unreadable. The default reads the `chunks` table; the
  // SQLite engine reads its chunk files first.
  virtual Result<void> read_chunk(const std::string& document_id, std::uint64_t version,
                                  std::uint64_t index, Bytes& out);

  // Up to `limit` stored chunks after the key `after` (document_id, version, idx), in key order,
  // as rows of chunk_table() (a copy of the instance, storage/transfer.h). The default scans the
  // chunks table; the SQLite engine adds its chunk files.
  virtual Result<std::vector<Row>> scan_chunks(const std::optional<Row>& after, std::size_t limit);

  // Maintenance. Pages of the database file that hold nothing (deleted rows not yet given back).
  virtual Result<std::size_t> free_pages() = 0;
  // The names of the database's tables, sorted (the engine's own catalogue excluded).
  virtual Result<std::vector<std::string>> table_names() = 0;

  // This job's sealed-record writes not yet committed to by an audit entry (below); always
  // empty in a read job.
  const std::vector<RecordWrite>& pending_record_writes() const { return pending_writes_; }

 protected:
  std::vector<RecordWrite> pending_writes_;
};

class WriteTx : public ReadTx {
 public:
  // Conflict when the key (or a unique index) is taken.
  virtual Result<void> insert_row(const Table& table, const Row& row) = 0;
  // Replaces the stored row with row's key, if `expect` holds for the stored row (optimistic
  // concurrency): conflict when it does not, not_found when there is no such row.
  virtual Result<void> update_row(const Table& table, const Row& row,
                                  const std::optional<Condition>& expect) = 0;
  // not_found when there is no such row.
  virtual Result<void> delete_row(const Table& table, const Row& key) = 0;
  // Removes every row matching all of `where` (none is fine; empty `where`: every row).
  virtual Result<void> delete_rows(const Table& table, const std::vector<Condition>& where) = 0;

  // Stores a sealed content chunk; durable when the job's commit is (Store::write returns).
  // Conflict when (document_id, version, index) exists. Chunks of a version are written once
  // each, in index order, by one writer.
  virtual Result<void> write_chunk(const std::string& document_id, std::uint64_t version,
                                   std::uint64_t index, const Bytes& sealed);
  // Removes every chunk of the version (none is fine); an engine that keeps them outside the
  // database frees their space only once this job's commit is durable.
  virtual Result<void> delete_chunks(const std::string& document_id, std::uint64_t version);

  // Gives up to `max_pages` free pages back to the file system (the file shrinks); returns how
  // many. Only databases created with incremental auto-vacuum can; others return 0.
  virtual Result<std::size_t> reclaim_free_pages(std::size_t max_pages) = 0;

  // The write set of this job, kept here (not by an engine) so that every engine's writer can
  // refuse a job that leaves writes no audit entry committed to: sealed-record writes waiting
  // for the audit entry that commits to them (audit/record_ledger.h). A later write of the same
  // record replaces the earlier one.
  void note_record_write(RecordWrite write);
  std::vector<RecordWrite> take_record_writes();

  // The audit trail's head (its last entry's seq and hash; seq 0 when the trail is empty) as
  // this transaction last read or wrote it, kept by the audit layer (audit/trail_tables.h) so
  // that the appends of one group commit do not each read it back from the store. It dies with
  // the transaction: another process or instance can append only between transactions (the
  // engines' writer locks), so every transaction reads the head afresh at its first append.
  // Within one, an engine that rolls a job back to its savepoint calls job_rolled_back(): what
  // the job appended is gone.
  struct TrailHead {
    std::uint64_t seq = 0;
    std::string hash;
  };
  std::optional<TrailHead>& trail_head() { return trail_head_; }
  void job_rolled_back() { trail_head_.reset(); }

 private:
  std::optional<TrailHead> trail_head_;
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
  // Removes stored content no committed index names and that was last written at least
  // `min_age` ago (an engine that keeps chunks outside its database: the leftovers of a crash
  // mid-upload, or of a removal while a backup ran). Returns how many files went; 0 where
  // chunks are rows (the database removes them with their transaction).
  virtual Result<std::size_t> sweep_chunk_files(std::chrono::seconds /*min_age*/) {
    return std::size_t{0};
  }
};

}  // namespace baomi::storage
