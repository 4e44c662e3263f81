// SqliteStore: the embedded Store. One writer thread group-commits write jobs (each in its own
// savepoint) into one durable transaction; readers use a pool of query_only connections.
// Thread-safe. See storage/store.h for the contract.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include "storage/sqlite/chunk_files.h"
#include "storage/sqlite/db.h"
#include "storage/sqlite/wal_checkpointer.h"
#include "storage/store.h"
#include "storage/write_queue.h"

namespace baomi::storage::sqlite {

struct SqliteOptions {
  std::size_t max_jobs_per_commit = 512;
  std::size_t max_read_connections = 64;
};

class SqliteStore final : public Store {
 public:
  // Opens (create=true: creates) the database file and starts the writer thread.
  static Result<std::unique_ptr<SqliteStore>> open(const std::filesystem::path& file, bool create,
                                                   SqliteOptions options = {});
  ~SqliteStore() override;

  Result<void> write(WriteJob job) override;
  Result<void> read(const ReadJob& job) override;
  Result<void> ensure_tables(const std::vector<const Table*>& tables) override;

  void close() override;
  Result<std::size_t> sweep_chunk_files(std::chrono::seconds min_age) override;
  // The directory of the content chunk files (chunk_files.h).
  const std::filesystem::path& chunk_dir() const { return chunks_->dir(); }
  // Background WAL checkpoints completed (storage/sqlite/wal_checkpointer.h).
  std::uint64_t wal_checkpoints() const { return checkpointer_->checkpoints(); }

 private:
  using PendingJob = WriteQueue::PendingJob;
  SqliteStore(std::filesystem::path file, Db writer, std::unique_ptr<WalCheckpointer> checkpointer,
              std::unique_ptr<ChunkFiles> chunks, SqliteOptions options);
  void commit_batch(std::vector<PendingJob>& batch);
  Result<Db> acquire_reader();
  void release_reader(Db db);

  std::filesystem::path file_;
  SqliteOptions options_;
  Db writer_db_;
  std::mutex pool_mu_;
  std::vector<Db> readers_;
  std::unique_ptr<WalCheckpointer> checkpointer_;  // hooks writer_db_'s commits
  std::unique_ptr<ChunkFiles> chunks_;
  std::optional<WriteQueue> queue_;  // last: its thread uses the members above
};

}  // namespace baomi::storage::sqlite
