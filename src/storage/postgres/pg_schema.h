// The PostgreSQL schema of the fixed tables (meta, keks, chunks, blobs, audit, checkpoints,
// record-write ledger, audit Merkle tree and tree heads), as numbered migrations. Declared
// tables (storage/table.h) are not versioned here: each start creates what is missing from the
// declarations (PgStore::ensure_tables). The version in force is meta.schema_version.
#pragma once

#include "storage/postgres/pg_conn.h"

namespace baomi::storage::postgres {

// The newest schema version this build knows.
int latest_schema_version();

// Brings the database to the newest version, in one transaction under an advisory lock (two
// processes starting at once do not both migrate). create=false refuses a database without a
// Baomi schema (run `baomi init` first); both refuse a version newer than this build knows.
Result<void> ensure_schema(Conn& conn, bool create);

// The advisory lock key (pg_advisory_xact_lock) held by every group commit and by migrations,
// so that two processes on one database never interleave their commits (one audit chain).
inline constexpr std::int64_t kWriterLock = 0x4261'6f6d'6957'7200;  // "BaomiWr\0"

}  // namespace baomi::storage::postgres
