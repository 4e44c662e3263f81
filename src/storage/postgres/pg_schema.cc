#include "storage/postgres/pg_schema.h"

#include <charconv>

#include "storage/schema_error.h"

namespace baomi::storage::postgres {
namespace {

// Version 1: the tables of SQLite's schema that are not declared rows. Text is compared byte
// by byte (COLLATE "C"), as SQLite does, so that ordered scans and cursors agree across
// engines. Sealed chunks and blobs are stored uncompressed (STORAGE EXTERNAL): ciphertext does
// not compress, and trying costs time on every write.
constexpr const char* kVersion1 = R"sql(
CREATE TABLE meta (key TEXT COLLATE "C" PRIMARY KEY, value BYTEA NOT NULL);
CREATE TABLE keks (version BIGINT PRIMARY KEY, sealed BYTEA NOT NULL);
CREATE TABLE chunks (
  document_id TEXT COLLATE "C" NOT NULL,
  version BIGINT NOT NULL,
  idx BIGINT NOT NULL,
  data BYTEA NOT NULL,
  PRIMARY KEY (document_id, version, idx));
ALTER TABLE chunks ALTER COLUMN data SET STORAGE EXTERNAL;
CREATE TABLE blobs (
  owner TEXT COLLATE "C" NOT NULL,
  idx BIGINT NOT NULL,
  data BYTEA NOT NULL,
  PRIMARY KEY (owner, idx));
ALTER TABLE blobs ALTER COLUMN data SET STORAGE EXTERNAL;
CREATE TABLE audit (
  seq BIGINT PRIMARY KEY,
  time BIGINT NOT NULL,
  actor TEXT COLLATE "C" NOT NULL,
  action TEXT COLLATE "C" NOT NULL,
  target TEXT COLLATE "C" NOT NULL,
  decision TEXT COLLATE "C" NOT NULL,
  rule TEXT COLLATE "C" NOT NULL,
  policy_version TEXT COLLATE "C" NOT NULL,
  detail TEXT COLLATE "C" NOT NULL,
  prev_hash TEXT COLLATE "C" NOT NULL,
  hash TEXT COLLATE "C" NOT NULL);
CREATE INDEX audit_actor ON audit(actor, seq);
CREATE INDEX audit_target ON audit(target, seq);
CREATE INDEX audit_time ON audit(time);
CREATE TABLE record_writes (
  tbl TEXT COLLATE "C" NOT NULL,
  key TEXT COLLATE "C" NOT NULL,
  seq BIGINT NOT NULL,
  mac TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (tbl, key, seq));
CREATE INDEX record_writes_seq ON record_writes(seq);
CREATE TABLE audit_checkpoints (
  seq BIGINT PRIMARY KEY,
  head TEXT COLLATE "C" NOT NULL,
  time BIGINT NOT NULL,
  signature TEXT COLLATE "C" NOT NULL);
CREATE TABLE audit_tree (
  level BIGINT NOT NULL,
  idx BIGINT NOT NULL,
  hash BYTEA NOT NULL,
  PRIMARY KEY (level, idx));
CREATE TABLE audit_tree_heads (
  tree_size BIGINT PRIMARY KEY,
  root_hash TEXT COLLATE "C" NOT NULL,
  head TEXT COLLATE "C" NOT NULL,
  time BIGINT NOT NULL,
  signature TEXT COLLATE "C" NOT NULL);
)sql";

struct Migration {
  int version;
  const char* sql;
};

// Append only: a released migration is never edited; a change is a new version.
constexpr Migration kMigrations[] = {{1, kVersion1}};

Result<int> stored_version(Conn& conn, bool create) {
  BAOMI_ASSIGN_OR_RETURN(auto tables,
                         conn.exec("SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = "
                                   "current_schema() AND tablename = 'meta'"));
  if (tables.int64(0, 0) == 0) {
    if (create) return 0;
    return Error::not_found(
        "the database holds no Baomi schema (create one with: baomi init --database URL)");
  }
  BAOMI_ASSIGN_OR_RETURN(auto row,
                         conn.exec("SELECT value FROM meta WHERE key = 'schema_version'"));
  const std::string text = row.rows() == 1 ? row.text(0, 0) : "";
  int version = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), version);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || version < 1) {
    return Error::internal("the database's meta table has no valid schema_version");
  }
  return version;
}

Result<void> migrate(Conn& conn, bool create) {
  BAOMI_TRY(conn.exec("SELECT pg_advisory_xact_lock($1)", Params().int64(kWriterLock)));
  BAOMI_ASSIGN_OR_RETURN(const int version, stored_version(conn, create));
  if (version > latest_schema_version()) {
    return schema_version_error(version, latest_schema_version());
  }
  for (const auto& m : kMigrations) {
    if (m.version > version) BAOMI_TRY(conn.command(m.sql));
  }
  if (version == latest_schema_version()) return {};
  const std::string latest = std::to_string(latest_schema_version());
  BAOMI_TRY(
      conn.exec("INSERT INTO meta(key, value) VALUES('schema_version', $1) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                Params().bytes(to_bytes(latest))));
  return {};
}

}  // namespace

int latest_schema_version() { return kMigrations[std::size(kMigrations) - 1].version; }

Result<void> ensure_schema(Conn& conn, bool create) {
  BAOMI_TRY(conn.command("BEGIN"));
  auto migrated = migrate(conn, create);
  if (!migrated.ok()) {
    (void)conn.command("ROLLBACK");
    return migrated;
  }
  return conn.command("COMMIT", "COMMIT");
}

}  // namespace baomi::storage::postgres
