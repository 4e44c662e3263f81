// Store: the untrusted, interchangeable persistence interface (SQLite now, PostgreSQL later).
// It stores opaque sealed bytes plus clear query columns; it knows nothing of keys or policy.
//
// Writes run as jobs on one writer and are group-committed: many concurrent jobs share one
// durable transaction, each inside its own savepoint, so a job that fails rolls back alone and
// a commit that fails fails every job in it (fail closed). `write` returns only once the job's
// effects are durable. Reads run on pooled connections with snapshot isolation.
// Thread-safety: Store is safe to use from any number of threads; a Tx is confined to the job.
#pragma once

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
};

}  // namespace baomi::storage
