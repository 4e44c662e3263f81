// The SQLite schema. Clear columns are only what queries need; secret values are sealed BLOBs.
#pragma once

#include "storage/sqlite/db.h"

namespace baomi::storage::sqlite {

// 2: content chunks in files beside the database, chunk_files their index (issue 14).
inline constexpr int kSchemaVersion = 2;

// The audit Merkle tree tables (schema_audit_tree.cc); part of schema version 1, created if
// absent (the audit layer backfills the nodes of an older trail on open).
const char* audit_tree_schema_sql();

// Creates the schema if absent, or checks it is the version this build understands.
Result<void> ensure_schema(Db& db);

}  // namespace baomi::storage::sqlite
