#include "storage/sqlite/wal_checkpointer.h"

#include <cstdio>

namespace baomi::storage::sqlite {

Result<std::unique_ptr<WalCheckpointer>> WalCheckpointer::start(const std::filesystem::path& file,
                                                                Db& writer) {
  BAOMI_ASSIGN_OR_RETURN(Db db, Db::open(file, false));
  std::unique_ptr<WalCheckpointer> c(new WalCheckpointer(std::move(db), writer.raw()));
  sqlite3_wal_hook(writer.raw(), &WalCheckpointer::on_commit, c.get());
  return c;
}

WalCheckpointer::WalCheckpointer(Db db, sqlite3* writer)
    : db_(std::move(db)), writer_(writer), thread_([this] { run(); }) {}

WalCheckpointer::~WalCheckpointer() { stop(); }

void WalCheckpointer::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  sqlite3_wal_hook(writer_, nullptr, nullptr);
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

std::uint64_t WalCheckpointer::checkpoints() const {
  std::lock_guard lock(mu_);
  return done_;
}

// Runs on the writer thread after each commit, with the log's size in pages: cheap, never
// blocks on the checkpoint itself.
int WalCheckpointer::on_commit(void* self, sqlite3* writer, const char* name, int pages) {
  auto* c = static_cast<WalCheckpointer*>(self);
  if (pages < kWakePages) return SQLITE_OK;
  if (pages >= kBackstopPages) {
    std::lock_guard run(c->checkpoint_mu_);
    const int rc =
        sqlite3_wal_checkpoint_v2(writer, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    if (rc == SQLITE_OK) return SQLITE_OK;
  }
  {
    std::lock_guard lock(c->mu_);
    if (c->due_) return SQLITE_OK;
    c->due_ = true;
  }
  c->wake_.notify_one();
  return SQLITE_OK;
}

void WalCheckpointer::run() {
  for (;;) {
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [this] { return due_ || stopping_; });
      if (!due_) return;  // stopping, nothing pending
      due_ = false;
    }
    int rc = SQLITE_OK;
    {
      std::lock_guard run(checkpoint_mu_);
      rc = sqlite3_wal_checkpoint_v2(db_.raw(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                     nullptr);
    }
    // A failed checkpoint loses nothing (the log keeps every committed page); the next commit
    // past the threshold tries again. SQLite's message names no data.
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
      std::fprintf(stderr, "baomi: WAL checkpoint failed: %s\n", sqlite3_errstr(rc));
    }
    std::lock_guard lock(mu_);
    ++done_;
  }
}

}  // namespace baomi::storage::sqlite
