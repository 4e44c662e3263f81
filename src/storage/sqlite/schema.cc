#include "storage/sqlite/schema.h"

#include "storage/schema_error.h"

namespace baomi::storage::sqlite {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS keks (version INTEGER PRIMARY KEY, sealed BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS login_failures (user_id TEXT NOT NULL REFERENCES users(id), at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS login_failures_user ON login_failures(user_id, at);
CREATE TABLE IF NOT EXISTS chunks (
  document_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  data BLOB NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS chunks_key ON chunks(document_id, version, idx);
CREATE TABLE IF NOT EXISTS chunk_files (
  document_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  pos INTEGER NOT NULL,
  len INTEGER NOT NULL,
  PRIMARY KEY (document_id, version, idx)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS blobs (
  owner TEXT NOT NULL,
  idx INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (owner, idx));
CREATE TABLE IF NOT EXISTS audit (
  seq INTEGER PRIMARY KEY,
  time INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  decision TEXT NOT NULL,
  rule TEXT NOT NULL,
  policy_version TEXT NOT NULL,
  detail TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS audit_actor ON audit(actor, seq);
CREATE INDEX IF NOT EXISTS audit_target ON audit(target, seq);
CREATE INDEX IF NOT EXISTS audit_time ON audit(time);
CREATE TABLE IF NOT EXISTS record_writes (
  tbl TEXT NOT NULL,
  key TEXT NOT NULL,
  seq INTEGER NOT NULL,
  mac TEXT NOT NULL,
  PRIMARY KEY (tbl, key, seq)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS record_writes_seq ON record_writes(seq);
CREATE TABLE IF NOT EXISTS audit_checkpoints (
  seq INTEGER PRIMARY KEY,
  head TEXT NOT NULL,
  time INTEGER NOT NULL,
  signature TEXT NOT NULL);
)sql";

}  // namespace

Result<void> ensure_schema(Db& db) {
  BAOMI_TRY(db.exec("BEGIN IMMEDIATE"));
  auto created = db.exec(kSchema);
  if (created.ok()) created = db.exec(audit_tree_schema_sql());
  if (!created.ok()) {
    (void)db.exec("ROLLBACK");
    return created;
  }
  BAOMI_ASSIGN_OR_RETURN(auto stmt, db.prepare("PRAGMA user_version"));
  BAOMI_ASSIGN_OR_RETURN(bool has_row, stmt.step());
  const auto version = has_row ? stmt.int64(0) : 0;
  // Version 2 (issue 14) adds chunk_files, the index of the chunk files beside the database
  // (chunk_files.h), created above; a version 1 database keeps its chunks table and is read as
  // it is. The bump makes an older build refuse a database whose content it could not find.
  if (version == 0 || version == 1) {
    BAOMI_TRY(db.exec("PRAGMA user_version = 2"));
  } else if (version != kSchemaVersion) {
    (void)db.exec("ROLLBACK");
    return schema_version_error(version, kSchemaVersion);
  }
  return db.exec("COMMIT");
}

}  // namespace baomi::storage::sqlite
