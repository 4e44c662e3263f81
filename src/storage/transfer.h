// Moving an instance's rows from one engine to another (`baomi migrate`): every table is a
// declared Table (the engines' fixed tables are declared by their owners: storage/meta.h,
// barrier/engine_tables.h, audit/trail_tables.h), so that the same generic row code
// (ReadTx::scan_rows, WriteTx::insert_row) copies them and the declared tables alike, as the opaque
// values the engine stores. Nothing is unsealed: storage never sees plaintext, and neither does a
// copy. Plain functions; thread-compatible (each call works inside the caller's transactions).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "storage/store.h"

namespace baomi::storage {

// Tables of an engine's schema that a copy does not move as they are: SQLite's login_failures,
// from the release before login throttling moved into memory (nothing reads it), and SQLite's
// chunk_files, the index of its chunk files (storage/sqlite/chunk_files.h): those chunks move as
// rows of `chunks` (for_each_row below reads them wherever the engine keeps them).
bool is_retired_table(std::string_view name);

// Meta entries about one database rather than the instance in it: the schema version (each
// engine keeps its own) and the leases of the processes serving it (storage/lease.h).
bool is_database_meta(std::string_view key);

// Rows fetched per round trip: few for tables of sealed chunks (256 KiB each), so that a copy
// holds a few MiB whatever the documents' size.
std::size_t transfer_page_rows(const Table& table);

// Calls fn for every row of `table` in key order, one page at a time (bounded memory); the
// first error (of the scan or of fn) stops it. For the chunks table (storage/chunks.h) the rows
// are every stored chunk, wherever the engine keeps it (ReadTx::scan_chunks).
Result<void> for_each_row(ReadTx& tx, const Table& table,
                          const std::function<Result<void>(const Row&)>& fn);

// True when `table` holds no row (meta: none but database entries).
Result<bool> table_is_empty(ReadTx& tx, const Table& table);

}  // namespace baomi::storage
