// The barrier's own tables beside the sealed records (barrier/records.h): the sealed KEKs, the
// sealed content chunks of document versions and other blobs, and the record ledger (which
// write of each sealed record is the latest, I1). Declared here as rows of storage/table.h and
// read and written only through these helpers, so an engine needs nothing but rows and scans.
// The engines' versioned schemas (storage/sqlite/schema.cc, storage/postgres/pg_schema.cc)
// create the tables; these declarations match them column for column (never pass them to
// ensure_tables).
// Plain functions; thread-compatible (each call works inside the caller's transaction).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "storage/store.h"

namespace baomi::barrier {

// keks(version INTEGER PRIMARY KEY, sealed BLOB): KEKs sealed by the root key (keyring.h).
struct KekRow {
  std::uint32_t version = 0;
  Bytes sealed;
};
const storage::Table& kek_table();
Result<std::vector<KekRow>> list_keks(storage::ReadTx& tx);  // by version
// Conflict when the version exists.
Result<void> insert_kek(storage::WriteTx& tx, const KekRow& row);

// chunks(document_id, version, idx, data): the sealed content of document versions, as the
// engine keeps it (storage/chunks.h: rows, or on SQLite files beside the database with their
// index in it).
const storage::Table& chunk_table();
// Reads one sealed chunk into `out`; a missing chunk of a committed version is damage, not
// absence: kIntegrity.
Result<void> read_chunk(storage::ReadTx& tx, const std::string& document_id, std::uint64_t version,
                        std::uint64_t index, Bytes& out);
// Conflict when (document_id, version, index) exists.
Result<void> write_chunk(storage::WriteTx& tx, const std::string& document_id,
                         std::uint64_t version, std::uint64_t index, const Bytes& sealed);
// Removes every chunk of the version (none is fine).
Result<void> delete_chunks(storage::WriteTx& tx, const std::string& document_id,
                           std::uint64_t version);

// blobs(owner, idx, data): sealed blobs that are not document versions (e.g. an
// investigation's evidence, S10); written once.
const storage::Table& blob_table();
// kIntegrity when the chunk is missing.
Result<void> read_blob_chunk(storage::ReadTx& tx, const std::string& owner, std::uint64_t index,
                             Bytes& out);
// Conflict when (owner, index) exists.
Result<void> write_blob_chunk(storage::WriteTx& tx, const std::string& owner, std::uint64_t index,
                              const Bytes& sealed);

// record_writes(tbl, key, seq, mac): every sealed-record write with the seq of the audit entry
// that committed to it (audit/record_ledger.h); an empty MAC records a deletion.
const storage::Table& record_write_table();
// The MAC of the latest write of a sealed record, this job's pending writes included; "" when
// it was deleted, nullopt when no write was ever recorded.
Result<std::optional<std::string>> latest_record_write(storage::ReadTx& tx,
                                                       const std::string& table,
                                                       const std::string& key);
// A sealed record's row under `key` and latest_record_write() of it (`ledger_key`), fetched
// together: one statement where the engine can (storage::ReadTx::get_row_beside). nullopt when
// there is no row (nothing looked up in the ledger then).
struct RowAndLatest {
  storage::Row row;
  std::optional<std::string> latest;
};
Result<std::optional<RowAndLatest>> get_row_and_latest_write(storage::ReadTx& tx,
                                                             const storage::Table& table,
                                                             const storage::Row& key,
                                                             const std::string& ledger_key);
Result<void> insert_record_writes(storage::WriteTx& tx, std::uint64_t seq,
                                  const std::vector<storage::RecordWrite>& writes);
// Every recorded write in (seq, table, key) order; stops early (and returns ok) when fn
// returns false.
Result<void> scan_record_writes(
    storage::ReadTx& tx,
    const std::function<bool(std::uint64_t seq, const storage::RecordWrite&)>& fn);
// The latest write of every record, ordered by table and key; same stopping rule.
Result<void> scan_latest_record_writes(storage::ReadTx& tx,
                                       const std::function<bool(const storage::RecordWrite&)>& fn);

}  // namespace baomi::barrier
