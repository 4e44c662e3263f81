#include "storage/sqlite/sqlite_tx.h"

#include "storage/sqlite/rows.h"

namespace baomi::storage::sqlite {
namespace {

constexpr const char* kAuditColumns =
    "seq, time, actor, action, target, decision, rule, policy_version, detail, prev_hash, hash";

AuditRow read_audit(const Statement& s) {
  AuditRow a;
  a.seq = static_cast<std::uint64_t>(s.int64(0));
  a.time_us = s.int64(1);
  a.actor = s.text(2);
  a.action = s.text(3);
  a.target = s.text(4);
  a.decision = s.text(5);
  a.rule = s.text(6);
  a.policy_version = s.text(7);
  a.detail = s.text(8);
  a.prev_hash = s.text(9);
  a.hash = s.text(10);
  return a;
}

CheckpointRow read_checkpoint(const Statement& s) {
  return {static_cast<std::uint64_t>(s.int64(0)), s.text(1), s.int64(2), s.text(3)};
}

}  // namespace

Result<std::optional<Bytes>> SqliteTx::get_meta(const std::string& key) {
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare("SELECT value FROM meta WHERE key = ?"));
  s.bind(1, key);
  return one<Bytes>(s, [](const Statement& st) { return st.blob(0); });
}

Result<std::vector<KekRow>> SqliteTx::list_keks() {
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare("SELECT version, sealed FROM keks ORDER BY version"));
  return all<KekRow>(s, [](const Statement& st) {
    return KekRow{static_cast<std::uint32_t>(st.int64(0)), st.blob(1)};
  });
}

Result<void> SqliteTx::read_chunk(const std::string& document_id, std::uint64_t version,
                                  std::uint64_t index, Bytes& out) {
  BAOMI_ASSIGN_OR_RETURN(
      auto s,
      db_.prepare("SELECT data FROM chunks WHERE document_id = ? AND version = ? AND idx = ?"));
  s.bind(1, document_id).bind(2, i64(version)).bind(3, i64(index));
  BAOMI_ASSIGN_OR_RETURN(bool has, s.step());
  // A missing chunk of a committed version is damage, not absence: report it as integrity.
  if (!has) return Error::integrity("stored content is incomplete");
  s.blob_into(0, out);
  return {};
}

Result<std::optional<AuditRow>> SqliteTx::last_audit_entry() {
  const auto q = sql("SELECT ", kAuditColumns, " FROM audit ORDER BY seq DESC LIMIT 1");
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare(q.c_str()));
  return one<AuditRow>(s, read_audit);
}

Result<std::optional<AuditRow>> SqliteTx::get_audit_entry(std::uint64_t seq) {
  const auto q = sql("SELECT ", kAuditColumns, " FROM audit WHERE seq = ?");
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare(q.c_str()));
  s.bind(1, i64(seq));
  return one<AuditRow>(s, read_audit);
}

Result<std::vector<AuditRow>> SqliteTx::query_audit(const AuditQuery& q) {
  std::string text = sql("SELECT ", kAuditColumns, " FROM audit WHERE seq > ?1");
  if (q.actor) text += " AND actor = ?2";
  if (q.target) text += " AND target = ?3";
  if (q.action) text += " AND action = ?4";
  if (q.from_us) text += " AND time >= ?5";
  if (q.to_us) text += " AND time <= ?6";
  text += " ORDER BY seq LIMIT ?7";
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare(text.c_str()));
  s.bind(1, i64(q.after_seq));
  if (q.actor) s.bind(2, *q.actor);
  if (q.target) s.bind(3, *q.target);
  if (q.action) s.bind(4, *q.action);
  if (q.from_us) s.bind(5, *q.from_us);
  if (q.to_us) s.bind(6, *q.to_us);
  s.bind(7, static_cast<std::int64_t>(q.limit));
  return all<AuditRow>(s, read_audit);
}

Result<void> SqliteTx::scan_audit(const std::function<bool(const AuditRow&)>& fn) {
  const auto q = sql("SELECT ", kAuditColumns, " FROM audit ORDER BY seq");
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare(q.c_str()));
  for (;;) {
    BAOMI_ASSIGN_OR_RETURN(bool has, s.step());
    if (!has || !fn(read_audit(s))) return {};
  }
}

Result<std::vector<CheckpointRow>> SqliteTx::list_checkpoints() {
  BAOMI_ASSIGN_OR_RETURN(
      auto s, db_.prepare("SELECT seq, head, time, signature FROM audit_checkpoints ORDER BY seq"));
  return all<CheckpointRow>(s, read_checkpoint);
}

Result<std::optional<CheckpointRow>> SqliteTx::latest_checkpoint() {
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare("SELECT seq, head, time, signature FROM "
                                             "audit_checkpoints ORDER BY seq DESC LIMIT 1"));
  return one<CheckpointRow>(s, read_checkpoint);
}

Result<void> SqliteTx::put_meta(const std::string& key, const Bytes& value) {
  BAOMI_ASSIGN_OR_RETURN(auto s,
                         db_.prepare("INSERT INTO meta(key, value) VALUES(?, ?) "
                                     "ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
  s.bind(1, key).bind(2, value);
  return s.run();
}

Result<void> SqliteTx::insert_kek(const KekRow& row) {
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare("INSERT INTO keks(version, sealed) VALUES(?, ?)"));
  s.bind(1, static_cast<std::int64_t>(row.version)).bind(2, row.sealed);
  return s.run();
}

Result<std::size_t> SqliteTx::free_pages() {
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare("PRAGMA freelist_count"));
  BAOMI_ASSIGN_OR_RETURN(const bool row, s.step());
  return row ? static_cast<std::size_t>(s.int64(0)) : 0;
}

Result<std::vector<std::string>> SqliteTx::table_names() {
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare("SELECT name FROM sqlite_master WHERE type = 'table' "
                                             "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                                             "ORDER BY name"));
  std::vector<std::string> names;
  for (;;) {
    BAOMI_ASSIGN_OR_RETURN(bool has, s.step());
    if (!has) return names;
    names.push_back(s.text(0));
  }
}

Result<std::size_t> SqliteTx::reclaim_free_pages(std::size_t max_pages) {
  BAOMI_ASSIGN_OR_RETURN(const std::size_t before, free_pages());
  if (before == 0 || max_pages == 0) return std::size_t{0};
  const std::string sql = "PRAGMA incremental_vacuum(" + std::to_string(max_pages) + ")";
  BAOMI_TRY(db_.exec(sql.c_str()));
  BAOMI_ASSIGN_OR_RETURN(const std::size_t after, free_pages());
  return before > after ? before - after : 0;
}

Result<void> SqliteTx::read_blob_chunk(const std::string& owner, std::uint64_t index, Bytes& out) {
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare("SELECT data FROM blobs WHERE owner = ? AND idx = ?"));
  s.bind(1, owner).bind(2, i64(index));
  BAOMI_ASSIGN_OR_RETURN(bool has, s.step());
  if (!has) return Error::integrity("a stored blob is incomplete");
  s.blob_into(0, out);
  return {};
}

Result<void> SqliteTx::write_blob_chunk(const std::string& owner, std::uint64_t index,
                                        const Bytes& sealed) {
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare("INSERT INTO blobs(owner, idx, data) VALUES(?,?,?)"));
  s.bind(1, owner).bind(2, i64(index)).bind(3, sealed);
  return s.run();
}

Result<void> SqliteTx::write_chunk(const std::string& document_id, std::uint64_t version,
                                   std::uint64_t index, const Bytes& sealed) {
  BAOMI_ASSIGN_OR_RETURN(
      auto s, db_.prepare("INSERT INTO chunks(document_id, version, idx, data) VALUES(?,?,?,?)"));
  s.bind(1, document_id).bind(2, i64(version)).bind(3, i64(index)).bind(4, sealed);
  return s.run();
}

Result<void> SqliteTx::delete_chunks(const std::string& document_id, std::uint64_t version) {
  BAOMI_ASSIGN_OR_RETURN(auto s,
                         db_.prepare("DELETE FROM chunks WHERE document_id = ? AND version = ?"));
  s.bind(1, document_id).bind(2, i64(version));
  return s.run();
}

Result<void> SqliteTx::insert_audit(const AuditRow& a) {
  const auto q = sql("INSERT INTO audit(", kAuditColumns, ") VALUES(?,?,?,?,?,?,?,?,?,?,?)");
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare(q.c_str()));
  s.bind(1, i64(a.seq))
      .bind(2, a.time_us)
      .bind(3, a.actor)
      .bind(4, a.action)
      .bind(5, a.target)
      .bind(6, a.decision)
      .bind(7, a.rule)
      .bind(8, a.policy_version)
      .bind(9, a.detail)
      .bind(10, a.prev_hash)
      .bind(11, a.hash);
  auto r = s.run();
  // The audit trail is the single point of recording: if it cannot write, nothing happens.
  if (!r.ok()) return Error::unavailable("audit trail unavailable");
  return {};
}

Result<void> SqliteTx::insert_checkpoint(const CheckpointRow& c) {
  BAOMI_ASSIGN_OR_RETURN(
      auto s,
      db_.prepare("INSERT INTO audit_checkpoints(seq, head, time, signature) VALUES(?,?,?,?)"));
  s.bind(1, i64(c.seq)).bind(2, c.head).bind(3, c.time_us).bind(4, c.signature);
  auto r = s.run();
  if (!r.ok()) return Error::unavailable("audit trail unavailable");
  return {};
}

}  // namespace baomi::storage::sqlite
