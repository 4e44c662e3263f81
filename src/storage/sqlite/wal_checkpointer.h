// WalCheckpointer: copies the write-ahead log's pages into the database file on a thread and
// connection of its own. SQLite's automatic checkpoint runs inside the COMMIT that takes the log
// past 1,000 pages, on the one writer thread that group-commits every write (an upload's chunks,
// every audited read's entry), so every queued write waited while 4 MiB were read back and
// written again and the database file was synced. Here the writer's WAL hook only wakes this
// thread (the writer finishes one itself only past kBackstopPages); its checkpoints are
// PASSIVE (they never block the writer or a reader), and a page
// reaches the database file only after its transaction is durable in the log, as before.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>

#include "core/result.h"
#include "storage/sqlite/db.h"

namespace baomi::storage::sqlite {

class WalCheckpointer {
 public:
  // Log pages after a commit that wake the checkpointer (SQLite's own threshold).
  static constexpr int kWakePages = 1000;
  // Log pages after which the writer finishes a checkpoint itself, right after its commit. The
  // log starts over only when a write begins with every page copied, which a checkpointer
  // copying behind a steady stream of commits (an upload) never sees: without this the log
  // grew by the whole upload. By then most pages are copied, so the writer copies few; it
  // waits for a checkpoint of this thread in progress (SQLite would refuse a second one).
  static constexpr int kBackstopPages = 4 * kWakePages;

  // Opens a connection to `file` and hooks `writer`'s commits (which disables its automatic
  // checkpoint). `writer` must outlive stop().
  static Result<std::unique_ptr<WalCheckpointer>> start(const std::filesystem::path& file,
                                                        Db& writer);
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // Unhooks the writer and joins the thread (after a last checkpoint if one was due). Call once
  // the writer has stopped committing.
  void stop();
  // Checkpoints completed so far (for tests and diagnostics).
  std::uint64_t checkpoints() const;

 private:
  WalCheckpointer(Db db, sqlite3* writer);
  static int on_commit(void* self, sqlite3* db, const char* name, int pages);
  void run();

  Db db_;
  sqlite3* writer_;
  std::mutex checkpoint_mu_;  // one checkpoint at a time: this thread's or the writer's
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool due_ = false;
  bool stopping_ = false;
  std::uint64_t done_ = 0;
  std::thread thread_;  // last: it uses the members above
};

}  // namespace baomi::storage::sqlite
