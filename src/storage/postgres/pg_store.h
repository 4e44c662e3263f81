// PgStore: the PostgreSQL Store (libpq), for instances that outgrow one machine's file. Same
// contract as SqliteStore (storage/store.h): one writer thread group-commits write jobs, each in
// its own savepoint, into one transaction that returns only once durable (synchronous commit);
// reads run on pooled connections, each job in one REPEATABLE READ READ ONLY transaction (a
// snapshot). Every group commit holds a transaction-scoped advisory lock, so that several
// processes on one database never interleave their commits (one audit chain).
//
// Connection loss fails closed: the jobs of a batch that cannot commit fail as unavailable
// (503), and the next job reconnects by itself. Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "storage/postgres/pg_conn.h"
#include "storage/store.h"
#include "storage/write_queue.h"

namespace baomi::storage::postgres {

struct PgOptions {
  std::size_t max_jobs_per_commit = 512;
  // Idle reader connections kept for reuse (each is a server process). More are opened when
  // more reads run at once, and closed after use: a read never waits for a connection, so a
  // read job that starts another read cannot deadlock on the pool (as with SQLite).
  std::size_t max_read_connections = 64;
};

class PgStore final : public Store {
 public:
  // Connects with a libpq URL (postgresql://user@host:port/db?sslmode=verify-full&...) and checks
  // the schema; create=true creates or migrates it (`baomi init`), create=false refuses a
  // database without one. Both refuse a schema newer than this build knows.
  static Result<std::unique_ptr<PgStore>> open(const std::string& url, bool create,
                                               PgOptions options = {});
  ~PgStore() override;

  Result<void> write(WriteJob job) override;
  Result<void> read(const ReadJob& job) override;
  Result<void> ensure_tables(const std::vector<const Table*>& tables) override;
  void close() override;

 private:
  using PendingJob = WriteQueue::PendingJob;
  PgStore(std::string url, Conn writer, PgOptions options);
  void commit_batch(std::vector<PendingJob>& batch);
  // BEGIN, the writer lock and the first savepoint, reconnecting when the connection was lost.
  Result<void> begin_batch();
  Result<void> run_jobs(std::vector<PendingJob>& batch, std::vector<Result<void>>& results);
  Result<Conn> acquire_reader();
  void release_reader(std::optional<Conn>& conn);
  Result<void> read_once(const ReadJob& job, bool& retry);

  std::string url_;
  PgOptions options_;
  std::optional<Conn> writer_conn_;  // only the writer thread touches it
  std::mutex pool_mu_;
  std::vector<Conn> idle_readers_;
  std::optional<WriteQueue> queue_;  // last: its thread uses the members above
};

}  // namespace baomi::storage::postgres
