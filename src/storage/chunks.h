// Sealed content chunks of document versions, as an engine stores them. The barrier seals each
// chunk (barrier/content.h: AES-256-GCM, AD binding document, version, index and the final flag)
// and hands the engine opaque bytes; the engine only has to give back the bytes it was given,
// or kIntegrity. Where they live is the engine's business: PostgreSQL keeps them as rows of the
// `chunks` table (several nodes share the database); the embedded SQLite engine keeps them in
// append-only files beside its database, with their index in the database
// (storage/sqlite/chunk_files.h), so that a chunk is written once and read with one pread
// instead of going through the write-ahead log, the checkpoint and 64 overflow pages (issue 14).
// These are the table-backed defaults of ReadTx::read_chunk / WriteTx::write_chunk /
// WriteTx::delete_chunks; an engine overrides them.
// Plain functions; thread-compatible (each call works inside the caller's transaction).
#pragma once

#include <cstdint>
#include <string>

#include "core/result.h"
#include "storage/store.h"

namespace baomi::storage {

// chunks(document_id, version, idx, data): the table both engines' schemas create. On SQLite it
// holds only chunks written before issue 14 (still read, never written).
const Table& chunk_table();

// Reads one sealed chunk from the table into `out`; kIntegrity when it is missing (a missing
// chunk of a committed version is damage, not absence).
Result<void> read_table_chunk(ReadTx& tx, const std::string& document_id, std::uint64_t version,
                              std::uint64_t index, Bytes& out);
// Conflict when (document_id, version, index) exists.
Result<void> write_table_chunk(WriteTx& tx, const std::string& document_id, std::uint64_t version,
                               std::uint64_t index, const Bytes& sealed);
// Removes every row of the version (none is fine).
Result<void> delete_table_chunks(WriteTx& tx, const std::string& document_id,
                                 std::uint64_t version);

// The message of every missing or unreadable chunk, on every engine.
inline constexpr const char* kChunkMissing = "stored content is incomplete";

}  // namespace baomi::storage
