// Byte-exact copies of a SQLite database for `baomi backup` and the checks `baomi restore`
// makes on one. Free functions; each opens its own connections (thread-safe as such).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "storage/sqlite/db.h"

namespace baomi::storage::sqlite {

// Copies the database at `source` (which servers may be writing, WAL) into the new file `dest`
// with SQLite's online backup API in ONE step: one read transaction of the source, so `dest` is
// the database as of one commit and no writer is ever blocked. `dest` is a scratch file (no
// journal, no syncs while copying; the caller makes the result durable) and ends in rollback
// journal mode with no WAL beside it. A source busy at the very start is retried for ~30 s.
// The content of the source's chunk files (chunk_files.h) is copied into `dest`'s chunks table
// (and its chunk index emptied), so that `dest` alone holds the instance; the source's server
// unlinks no chunk file meanwhile. A chunk file the copy names that is missing or short fails.
Result<void> online_backup(const std::filesystem::path& source, const std::filesystem::path& dest);

// SQLite's `PRAGMA quick_check`: "ok", or its first finding.
Result<std::string> quick_check(Db& db);
// The schema version SQLite keeps (`PRAGMA user_version`, schema.h).
Result<std::int64_t> user_version(Db& db);

}  // namespace baomi::storage::sqlite
