#include "storage/postgres/pg_store.h"

#include "storage/postgres/pg_schema.h"
#include "storage/postgres/pg_tx.h"

namespace baomi::storage::postgres {

Result<std::unique_ptr<PgStore>> PgStore::open(const std::string& url, bool create,
                                               PgOptions options) {
  BAOMI_ASSIGN_OR_RETURN(Conn conn, Conn::connect(url));
  BAOMI_TRY(ensure_schema(conn, create));
  return std::unique_ptr<PgStore>(new PgStore(url, std::move(conn), options));
}

PgStore::PgStore(std::string url, Conn writer, PgOptions options)
    : url_(std::move(url)), options_(options) {
  writer_conn_.emplace(std::move(writer));
  queue_.emplace(options_.max_jobs_per_commit,
                 [this](std::vector<PendingJob>& batch) { commit_batch(batch); });
}

PgStore::~PgStore() { close(); }

void PgStore::close() {
  if (queue_) queue_->close();
}

Result<void> PgStore::write(WriteJob job) { return queue_->write(std::move(job)); }

namespace {

// Statements that need no parameters travel together, one round trip each group: a batch's
// BEGIN, writer lock and first job's savepoint; between jobs, the release of one savepoint and
// the next one. (PQexec runs the string as the simple protocol does, stops at the first failure
// and returns that failure, else the last statement's result.)
const std::string& begin_statements() {
  static const std::string sql =
      "BEGIN; SELECT pg_advisory_xact_lock(" + std::to_string(kWriterLock) + "); SAVEPOINT job";
  return sql;
}
constexpr const char* kNextJob = "RELEASE SAVEPOINT job; SAVEPOINT job";

}  // namespace

// BEGIN, the writer's advisory lock (multi-instance: commits of several processes queue here,
// one after the other) and the first job's savepoint, reconnecting first when the connection
// was lost.
Result<void> PgStore::begin_batch() {
  for (int attempt = 0;; ++attempt) {
    if (!writer_conn_ || writer_conn_->broken()) {
      writer_conn_.reset();
      BAOMI_ASSIGN_OR_RETURN(Conn conn, Conn::connect(url_));
      writer_conn_.emplace(std::move(conn));
    }
    auto begun = writer_conn_->command(begin_statements().c_str());
    if (begun.ok()) return {};
    if (!writer_conn_->broken() && !writer_conn_->idle()) (void)writer_conn_->command("ROLLBACK");
    // A connection the server dropped while it was idle: one fresh connection, then give up.
    if (!writer_conn_->broken() || attempt > 0) return begun;
  }
}

// Runs each job in its own savepoint (the first one opened by begin_batch). An error here means
// the transaction itself is lost (connection gone, a savepoint refused): the whole batch fails.
Result<void> PgStore::run_jobs(std::vector<PendingJob>& batch, std::vector<Result<void>>& results) {
  Conn& db = *writer_conn_;
  PgTx tx(db);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (i > 0) BAOMI_TRY(db.command(kNextJob));
    Result<void> r = Error::internal("write job threw");
    (void)tx.take_record_writes();
    try {
      r = batch[i].job(tx);
    } catch (const std::exception&) {
      // A bug in a job must not take the writer (and every other request) down with it.
    }
    // A job that ignored a failed statement would otherwise commit half its work.
    if (r.ok() && db.transaction_failed()) {
      r = Error::unavailable("a statement of the write job failed");
    }
    // I1: a sealed record written without an audit entry committing to it could later be
    // rolled back undetected; such a job is a bug and is refused whole.
    if (r.ok() && !tx.take_record_writes().empty()) {
      r = Error::internal("a write job changed records without an audit entry");
    }
    // The savepoint stays, emptied, for the next job's release (or the COMMIT).
    if (!r.ok()) {
      tx.job_rolled_back();
      BAOMI_TRY(db.command("ROLLBACK TO SAVEPOINT job"));
    }
    results.push_back(std::move(r));
  }
  return {};
}

// Group commit: jobs share one transaction (one WAL flush) but each runs in its own savepoint,
// so a job that fails is rolled back alone. If the commit itself fails, every job fails:
// nothing is acknowledged that is not durable.
void PgStore::commit_batch(std::vector<PendingJob>& batch) {
  auto begun = begin_batch();
  if (!begun.ok()) {
    for (auto& p : batch) p.settle(begun.error());
    return;
  }
  std::vector<Result<void>> results;
  results.reserve(batch.size());
  auto ran = run_jobs(batch, results);
  // COMMIT of a transaction that failed answers ROLLBACK: only the COMMIT tag means durable.
  auto committed = ran.ok() ? writer_conn_->command("COMMIT", "COMMIT") : ran;
  if (!committed.ok()) {
    if (!writer_conn_->broken() && !writer_conn_->idle()) (void)writer_conn_->command("ROLLBACK");
    for (auto& p : batch) p.settle(Error::unavailable("storage commit failed"));
    return;
  }
  for (std::size_t i = 0; i < batch.size(); ++i) batch[i].settle(std::move(results[i]));
}

Result<void> PgStore::ensure_tables(const std::vector<const Table*>& tables) {
  return write([&tables](WriteTx& tx) -> Result<void> {
    for (const Table* table : tables) BAOMI_TRY(static_cast<PgTx&>(tx).create_table(*table));
    return {};
  });
}

Result<Conn> PgStore::acquire_reader() {
  {
    std::lock_guard lock(pool_mu_);
    if (!idle_readers_.empty()) {
      Conn conn = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return conn;
    }
  }
  return Conn::connect(url_);
}

// Back to the pool if it is healthy, outside any transaction and the pool has room.
void PgStore::release_reader(std::optional<Conn>& conn) {
  if (!conn->broken() && !conn->idle()) (void)conn->command("ROLLBACK");
  std::lock_guard lock(pool_mu_);
  if (!conn->broken() && conn->idle() && idle_readers_.size() < options_.max_read_connections) {
    idle_readers_.push_back(std::move(*conn));
  }
  conn.reset();
}

Result<void> PgStore::read_once(const ReadJob& job, bool& retry) {
  std::optional<Conn> conn;
  {
    BAOMI_ASSIGN_OR_RETURN(Conn c, acquire_reader());
    conn.emplace(std::move(c));
  }
  struct Release {
    PgStore& store;
    std::optional<Conn>& conn;
    ~Release() { store.release_reader(conn); }
  } release{*this, conn};
  // One snapshot for the whole job, as SQLite's deferred transaction gives.
  auto begun = conn->command("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  if (!begun.ok()) {
    // A pooled connection that the server dropped while idle: the caller tries a fresh one.
    retry = conn->broken();
    return begun;
  }
  PgTx tx(*conn);
  auto r = job(tx);
  (void)conn->command("COMMIT");
  return r;
}

Result<void> PgStore::read(const ReadJob& job) {
  // After a server restart every pooled connection is dead: each failed BEGIN drops one, and
  // the pool's size bounds the retries before a fresh connection answers (or fails: 503).
  for (std::size_t attempt = 0;; ++attempt) {
    bool retry = false;
    auto r = read_once(job, retry);
    if (!retry || attempt > options_.max_read_connections) return r;
  }
}

}  // namespace baomi::storage::postgres
