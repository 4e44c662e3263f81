// ChunkFiles: the SQLite engine's sealed content chunks, in append-only files beside the
// database (issue 14). SQLite wrote each 256 KiB chunk twice (into the write-ahead log, then at
// the checkpoint read back and into the database file, 4 KiB page by page) and read it back as
// 64 overflow pages; here a chunk is one pwrite and one pread.
//
//   DATABASE-chunks/            (e.g. DATA/baomi.db-chunks/, 0700)
//     <hex(document id)>-<version>   one file per document version: its sealed chunks, back to
//                                    back, in index order (opaque ids only; nothing classified)
//     .guard                         locked by `baomi backup` while it copies (no unlink then)
//
// The database keeps the index: chunk_files(document_id, version, idx, pos, len), written in
// the same job as the bytes. Durability: the store fdatasyncs every file appended to in a group
// commit (and the directory when a file is new) BEFORE that commit, so an index row never names
// bytes that are not on disk and an acknowledged version never loses content. A job rolled back
// leaves unindexed bytes at the end of its file (never read: reads go by offset); a file no
// index row names (a crash before its first commit, an unlink skipped during a backup) is swept.
// Removal unlinks a file only after the commit that dropped its index rows is durable.
// Reads trust nothing: the barrier still opens every chunk with its AD (content.h), so a file
// swapped, truncated or edited fails closed; a missing file or a short read is kIntegrity.
//
// Thread-safety: append/sync/discard/unlink_now run on the store's writer thread only; read and
// the static helpers from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/bytes.h"
#include "core/result.h"

namespace baomi::storage::sqlite {

class ChunkFiles {
 public:
  // The directory of the database `database`'s chunk files.
  static std::filesystem::path dir_for(const std::filesystem::path& database);
  // A version's file name, and the version back from a name (nullopt: not a chunk file).
  static std::string file_name(std::string_view document_id, std::uint64_t version);
  struct Version {
    std::string document_id;
    std::uint64_t version = 0;
  };
  static std::optional<Version> parse_name(std::string_view name);

  // Opens (creating it 0700 if missing) the directory.
  static Result<std::unique_ptr<ChunkFiles>> open(const std::filesystem::path& dir);
  ~ChunkFiles();
  ChunkFiles(const ChunkFiles&) = delete;
  ChunkFiles& operator=(const ChunkFiles&) = delete;

  const std::filesystem::path& dir() const { return dir_; }

  // Writer thread. The offset at which the next chunk of the version goes (the file's end; 0
  // when `first`, which starts the file afresh: a failed earlier upload of the same version
  // left nothing any index row names).
  Result<std::uint64_t> prepare_append(const std::string& document_id, std::uint64_t version,
                                       bool first);
  // Writes `sealed` at `offset` (from prepare_append) of the version's file.
  Result<void> append(const std::string& document_id, std::uint64_t version, std::uint64_t offset,
                      const Bytes& sealed);
  // Makes every file appended to since the last call durable (fdatasync, and the directory
  // when a file is new), then closes them. Called before the database commit.
  Result<void> sync();
  // Closes the files appended to without syncing (a commit that is not going to happen).
  void discard();
  // Unlinks the files of these versions (after the commit that dropped their index), unless a
  // backup holds the guard: then they stay for the next sweep. Returns how many went.
  std::size_t unlink_now(const std::vector<Version>& versions);
  // Removes chunk files older than `min_age` whose version `indexed` says the database does not
  // name (crash leftovers, unlinks skipped during a backup). Skipped whole while a backup holds
  // the guard. Returns how many went.
  Result<std::size_t> sweep(const std::function<Result<bool>(const Version&)>& indexed,
                            std::chrono::seconds min_age);

  // Any thread. Reads `size` bytes at `offset` of the version's file; kIntegrity when the file is
  // missing or shorter.
  Result<void> read(const std::string& document_id, std::uint64_t version, std::uint64_t offset,
                    std::uint64_t size, Bytes& out) const;

  // The guard `baomi backup` holds (flock, exclusive) while it copies chunk files: no unlink
  // meanwhile, so every file its snapshot names is there to copy.
  std::filesystem::path guard_file() const { return dir_ / ".guard"; }

 private:
  explicit ChunkFiles(std::filesystem::path dir, int dir_fd);
  struct Open {
    int fd = -1;
    std::uint64_t end = 0;
    bool created = false;
  };
  // Runs fn while holding the guard shared (nothing else removes files meanwhile); false when a
  // backup holds it.
  bool with_guard(const std::function<void()>& fn) const;

  std::filesystem::path dir_;
  int dir_fd_;
  std::unordered_map<std::string, Open> open_;  // by file name, appended to since the last sync
};

}  // namespace baomi::storage::sqlite
