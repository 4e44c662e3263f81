// The meta table: small named values about the instance and the database (its id, the audit
// public key, the schema version, leases, counters from before they were records). Storage owns
// it because the engines' schemas and leases (storage/lease.h) use it; everything reads and
// writes it through these helpers, as rows of a declared table.
// Plain functions; thread-compatible (each call works inside the caller's transaction).
#pragma once

#include <optional>
#include <string>

#include "core/result.h"
#include "storage/store.h"

namespace baomi::storage {

// meta(key TEXT PRIMARY KEY, value BLOB), as both engines' schemas create it.
const Table& meta_table();

Result<std::optional<Bytes>> get_meta(ReadTx& tx, const std::string& key);
// Inserts or replaces the entry.
Result<void> put_meta(WriteTx& tx, const std::string& key, const Bytes& value);

}  // namespace baomi::storage
