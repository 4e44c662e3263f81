#include "storage/sqlite/sqlite_store.h"

#include "storage/sqlite/schema.h"
#include "storage/sqlite/sqlite_tx.h"

namespace baomi::storage::sqlite {

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::filesystem::path& file,
                                                       bool create, SqliteOptions options) {
  if (!create && !std::filesystem::exists(file)) {
    return Error::not_found("no database at " + file.string());
  }
  BAOMI_ASSIGN_OR_RETURN(Db db, Db::open(file, create));
  BAOMI_TRY(ensure_schema(db));
  BAOMI_ASSIGN_OR_RETURN(auto chunks, ChunkFiles::open(ChunkFiles::dir_for(file)));
  BAOMI_ASSIGN_OR_RETURN(auto checkpointer, WalCheckpointer::start(file, db));
  return std::unique_ptr<SqliteStore>(
      new SqliteStore(file, std::move(db), std::move(checkpointer), std::move(chunks), options));
}

SqliteStore::SqliteStore(std::filesystem::path file, Db writer,
                         std::unique_ptr<WalCheckpointer> checkpointer,
                         std::unique_ptr<ChunkFiles> chunks, SqliteOptions options)
    : file_(std::move(file)),
      options_(options),
      writer_db_(std::move(writer)),
      checkpointer_(std::move(checkpointer)),
      chunks_(std::move(chunks)) {
  queue_.emplace(options_.max_jobs_per_commit,
                 [this](std::vector<PendingJob>& batch) { commit_batch(batch); });
}

SqliteStore::~SqliteStore() { close(); }

void SqliteStore::close() {
  if (queue_) queue_->close();
  checkpointer_->stop();  // the writer commits no more
}

Result<void> SqliteStore::write(WriteJob job) { return queue_->write(std::move(job)); }

// Group commit: jobs share one transaction (one fsync) but each runs in its own savepoint, so
// a job that fails is rolled back alone. The transaction statements are prepared once (run):
// parsing them as text was a sixth of a small read's instructions. If the commit itself fails,
// every job fails: nothing is acknowledged that is not durable.
void SqliteStore::commit_batch(std::vector<PendingJob>& batch) {
  std::vector<Result<void>> results;
  results.reserve(batch.size());
  auto begun = writer_db_.run("BEGIN IMMEDIATE");
  if (!begun.ok()) {
    for (auto& p : batch) p.settle(begun.error());
    return;
  }
  SqliteTx tx(writer_db_, chunks_.get());
  std::vector<ChunkFiles::Version> removed;  // chunk files to unlink once the commit is durable
  for (auto& p : batch) {
    auto sp = writer_db_.run("SAVEPOINT job");
    if (!sp.ok()) {
      results.push_back(sp);
      continue;
    }
    Result<void> r = Error::internal("write job threw");
    (void)tx.take_record_writes();
    try {
      r = p.job(tx);
    } catch (const std::exception&) {
      // A bug in a job must not take the writer (and every other request) down with it.
    }
    // I1: a sealed record written without an audit entry committing to it could later be
    // rolled back undetected; such a job is a bug and is refused whole.
    if (r.ok() && !tx.take_record_writes().empty()) {
      r = Error::internal("a write job changed records without an audit entry");
    }
    auto job_removed = tx.take_removed_chunk_files();
    if (!r.ok()) {
      (void)writer_db_.run("ROLLBACK TO job");
      tx.job_rolled_back();
    } else {
      removed.insert(removed.end(), job_removed.begin(), job_removed.end());
    }
    (void)writer_db_.run("RELEASE job");
    results.push_back(std::move(r));
  }
  // Content chunks first: the chunk files appended to are durable before the commit that makes
  // their index rows visible, so a committed row never names bytes a crash could lose.
  auto committed = chunks_->sync();
  if (committed.ok()) committed = writer_db_.run("COMMIT");
  if (!committed.ok()) {
    (void)writer_db_.run("ROLLBACK");
    for (auto& p : batch) p.settle(Error::unavailable("storage commit failed"));
    return;
  }
  // Only now that dropping their index is durable do the files of removed versions go.
  chunks_->unlink_now(removed);
  for (std::size_t i = 0; i < batch.size(); ++i) batch[i].settle(std::move(results[i]));
}

// On the writer thread, as a job: no chunk file is being created meanwhile by this process, and
// the job sees every index row committed or written earlier in its batch.
Result<std::size_t> SqliteStore::sweep_chunk_files(std::chrono::seconds min_age) {
  std::size_t removed = 0;
  BAOMI_TRY(write([&](WriteTx& tx) -> Result<void> {
    auto& sqlite_tx = static_cast<SqliteTx&>(tx);
    BAOMI_ASSIGN_OR_RETURN(
        removed, chunks_->sweep(
                     [&](const ChunkFiles::Version& v) { return sqlite_tx.indexes_chunk_file(v); },
                     min_age));
    return {};
  }));
  return removed;
}

Result<void> SqliteStore::ensure_tables(const std::vector<const Table*>& tables) {
  return write([&tables](WriteTx& tx) -> Result<void> {
    for (const Table* table : tables) BAOMI_TRY(static_cast<SqliteTx&>(tx).create_table(*table));
    return {};
  });
}

Result<Db> SqliteStore::acquire_reader() {
  {
    std::lock_guard lock(pool_mu_);
    if (!readers_.empty()) {
      Db db = std::move(readers_.back());
      readers_.pop_back();
      return db;
    }
  }
  BAOMI_ASSIGN_OR_RETURN(Db db, Db::open(file_, false));
  BAOMI_TRY(db.exec("PRAGMA query_only=ON"));
  return db;
}

void SqliteStore::release_reader(Db db) {
  std::lock_guard lock(pool_mu_);
  if (readers_.size() < options_.max_read_connections) readers_.push_back(std::move(db));
}

Result<void> SqliteStore::read(const ReadJob& job) {
  BAOMI_ASSIGN_OR_RETURN(Db db, acquire_reader());
  // A deferred transaction gives the job one consistent snapshot across its queries.
  BAOMI_TRY(db.run("BEGIN"));
  SqliteTx tx(db, chunks_.get());
  auto r = job(tx);
  (void)db.run("COMMIT");
  release_reader(std::move(db));
  return r;
}

}  // namespace baomi::storage::sqlite
