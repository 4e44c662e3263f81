// PgTx: meta, KEKs, sealed chunks and blobs, the audit trail and its checkpoints.
#include "storage/postgres/pg_tx.h"

#include <algorithm>
#include <limits>

namespace baomi::storage::postgres {
namespace {

constexpr const char* kAuditColumns =
    "seq, time, actor, action, target, decision, rule, policy_version, detail, prev_hash, hash";
// Entries fetched per round trip by scan_audit: bounded memory, whatever the trail's length.
constexpr std::int64_t kScanPage = 1000;

std::string sql(std::string_view a, std::string_view b, std::string_view c = {}) {
  return std::string(a) + std::string(b) + std::string(c);
}

std::int64_t i64(std::uint64_t v) { return static_cast<std::int64_t>(v); }
std::uint64_t u64(std::int64_t v) { return static_cast<std::uint64_t>(v); }

AuditRow read_audit(const PgResult& r, int row) {
  AuditRow a;
  a.seq = u64(r.int64(row, 0));
  a.time_us = r.int64(row, 1);
  a.actor = r.text(row, 2);
  a.action = r.text(row, 3);
  a.target = r.text(row, 4);
  a.decision = r.text(row, 5);
  a.rule = r.text(row, 6);
  a.policy_version = r.text(row, 7);
  a.detail = r.text(row, 8);
  a.prev_hash = r.text(row, 9);
  a.hash = r.text(row, 10);
  return a;
}

std::optional<AuditRow> first_audit(const PgResult& r) {
  if (r.rows() == 0) return std::nullopt;
  return read_audit(r, 0);
}

CheckpointRow read_checkpoint(const PgResult& r, int row) {
  return {u64(r.int64(row, 0)), r.text(row, 1), r.int64(row, 2), r.text(row, 3)};
}

// The audit trail is the single point of recording: if it cannot write, nothing happens (503).
Result<void> audit_written(const Result<PgResult>& r) {
  if (!r.ok() || r->affected() != 1) return Error::unavailable("audit trail unavailable");
  return {};
}

}  // namespace

Result<std::optional<Bytes>> PgTx::get_meta(const std::string& key) {
  BAOMI_ASSIGN_OR_RETURN(auto r,
                         conn_.exec("SELECT value FROM meta WHERE key = $1", Params().text(key)));
  if (r.rows() == 0) return std::optional<Bytes>();
  return std::optional<Bytes>(r.bytes(0, 0));
}

Result<void> PgTx::put_meta(const std::string& key, const Bytes& value) {
  BAOMI_TRY(
      conn_.exec("INSERT INTO meta(key, value) VALUES($1, $2) "
                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                 Params().text(key).bytes(value)));
  return {};
}

Result<std::vector<KekRow>> PgTx::list_keks() {
  BAOMI_ASSIGN_OR_RETURN(auto r, conn_.exec("SELECT version, sealed FROM keks ORDER BY version"));
  std::vector<KekRow> out;
  for (int i = 0; i < r.rows(); ++i) {
    out.push_back({static_cast<std::uint32_t>(r.int64(i, 0)), r.bytes(i, 1)});
  }
  return out;
}

Result<void> PgTx::insert_kek(const KekRow& row) {
  BAOMI_ASSIGN_OR_RETURN(auto r, conn_.exec("INSERT INTO keks(version, sealed) VALUES($1, $2) "
                                            "ON CONFLICT DO NOTHING",
                                            Params().int64(row.version).bytes(row.sealed)));
  if (r.affected() != 1) return Error::conflict("conflict", "insert kek: already exists");
  return {};
}

// Space is the server's business on PostgreSQL: (auto)vacuum reuses the space of deleted rows
// and VACUUM FULL gives it back. There are no free pages for Baomi to count or reclaim.
Result<std::size_t> PgTx::free_pages() { return std::size_t{0}; }
Result<std::size_t> PgTx::reclaim_free_pages(std::size_t) { return std::size_t{0}; }

Result<std::vector<std::string>> PgTx::table_names() {
  BAOMI_ASSIGN_OR_RETURN(auto r, conn_.exec("SELECT tablename::text FROM pg_catalog.pg_tables "
                                            "WHERE schemaname = current_schema() "
                                            "ORDER BY tablename COLLATE \"C\""));
  std::vector<std::string> names;
  for (int i = 0; i < r.rows(); ++i) names.push_back(r.text(i, 0));
  return names;
}

Result<void> PgTx::read_chunk(const std::string& document_id, std::uint64_t version,
                              std::uint64_t index, Bytes& out) {
  BAOMI_ASSIGN_OR_RETURN(
      auto r, conn_.exec("SELECT data FROM chunks WHERE document_id = $1 AND version = $2 AND "
                         "idx = $3",
                         Params().text(document_id).int64(i64(version)).int64(i64(index))));
  // A missing chunk of a committed version is damage, not absence: report it as integrity.
  if (r.rows() == 0) return Error::integrity("stored content is incomplete");
  r.bytes_into(0, 0, out);
  return {};
}

Result<void> PgTx::write_chunk(const std::string& document_id, std::uint64_t version,
                               std::uint64_t index, const Bytes& sealed) {
  BAOMI_ASSIGN_OR_RETURN(
      auto r,
      conn_.exec("INSERT INTO chunks(document_id, version, idx, data) "
                 "VALUES($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                 Params().text(document_id).int64(i64(version)).int64(i64(index)).bytes(sealed)));
  if (r.affected() != 1) return Error::conflict("conflict", "write chunk: already exists");
  return {};
}

Result<void> PgTx::delete_chunks(const std::string& document_id, std::uint64_t version) {
  BAOMI_TRY(conn_.exec("DELETE FROM chunks WHERE document_id = $1 AND version = $2",
                       Params().text(document_id).int64(i64(version))));
  return {};
}

Result<void> PgTx::read_blob_chunk(const std::string& owner, std::uint64_t index, Bytes& out) {
  BAOMI_ASSIGN_OR_RETURN(auto r, conn_.exec("SELECT data FROM blobs WHERE owner = $1 AND idx = $2",
                                            Params().text(owner).int64(i64(index))));
  if (r.rows() == 0) return Error::integrity("a stored blob is incomplete");
  r.bytes_into(0, 0, out);
  return {};
}

Result<void> PgTx::write_blob_chunk(const std::string& owner, std::uint64_t index,
                                    const Bytes& sealed) {
  BAOMI_ASSIGN_OR_RETURN(auto r,
                         conn_.exec("INSERT INTO blobs(owner, idx, data) VALUES($1, $2, $3) "
                                    "ON CONFLICT DO NOTHING",
                                    Params().text(owner).int64(i64(index)).bytes(sealed)));
  if (r.affected() != 1) return Error::conflict("conflict", "write blob: already exists");
  return {};
}

Result<std::optional<AuditRow>> PgTx::last_audit_entry() {
  BAOMI_ASSIGN_OR_RETURN(
      auto r, conn_.exec(sql("SELECT ", kAuditColumns, " FROM audit ORDER BY seq DESC LIMIT 1")));
  return first_audit(r);
}

Result<std::optional<AuditRow>> PgTx::get_audit_entry(std::uint64_t seq) {
  BAOMI_ASSIGN_OR_RETURN(auto r,
                         conn_.exec(sql("SELECT ", kAuditColumns, " FROM audit WHERE seq = $1"),
                                    Params().int64(i64(seq))));
  return first_audit(r);
}

Result<std::vector<AuditRow>> PgTx::query_audit(const AuditQuery& q) {
  std::string text = sql("SELECT ", kAuditColumns, " FROM audit WHERE seq > $1");
  Params params;
  params.int64(i64(q.after_seq));
  int n = 1;
  const auto add = [&](const char* condition) {
    text += std::string(" AND ") + condition + " $" + std::to_string(++n);
  };
  if (q.actor) {
    add("actor =");
    params.text(*q.actor);
  }
  if (q.target) {
    add("target =");
    params.text(*q.target);
  }
  if (q.action) {
    add("action =");
    params.text(*q.action);
  }
  if (q.from_us) {
    add("time >=");
    params.int64(*q.from_us);
  }
  if (q.to_us) {
    add("time <=");
    params.int64(*q.to_us);
  }
  text += " ORDER BY seq LIMIT $" + std::to_string(++n);
  params.int64(static_cast<std::int64_t>(
      std::min<std::size_t>(q.limit, std::numeric_limits<std::int64_t>::max())));
  BAOMI_ASSIGN_OR_RETURN(auto r, conn_.exec(text, params));
  std::vector<AuditRow> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) out.push_back(read_audit(r, i));
  return out;
}

// Pages by seq inside the job's snapshot, so memory stays bounded and `fn` may run queries of
// its own on this transaction between pages.
Result<void> PgTx::scan_audit(const std::function<bool(const AuditRow&)>& fn) {
  const auto q = sql("SELECT ", kAuditColumns, " FROM audit WHERE seq > $1 ORDER BY seq LIMIT $2");
  std::int64_t after = std::numeric_limits<std::int64_t>::min();
  for (;;) {
    BAOMI_ASSIGN_OR_RETURN(auto r, conn_.exec(q, Params().int64(after).int64(kScanPage)));
    for (int i = 0; i < r.rows(); ++i) {
      if (!fn(read_audit(r, i))) return {};
    }
    if (r.rows() < kScanPage) return {};
    after = r.int64(r.rows() - 1, 0);
  }
}

Result<void> PgTx::insert_audit(const AuditRow& a) {
  auto r = conn_.exec(sql("INSERT INTO audit(", kAuditColumns,
                          ") VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
                          "ON CONFLICT DO NOTHING"),
                      Params()
                          .int64(i64(a.seq))
                          .int64(a.time_us)
                          .text(a.actor)
                          .text(a.action)
                          .text(a.target)
                          .text(a.decision)
                          .text(a.rule)
                          .text(a.policy_version)
                          .text(a.detail)
                          .text(a.prev_hash)
                          .text(a.hash));
  return audit_written(r);
}

Result<std::vector<CheckpointRow>> PgTx::list_checkpoints() {
  BAOMI_ASSIGN_OR_RETURN(
      auto r, conn_.exec("SELECT seq, head, time, signature FROM audit_checkpoints ORDER BY seq"));
  std::vector<CheckpointRow> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(read_checkpoint(r, i));
  return out;
}

Result<std::optional<CheckpointRow>> PgTx::latest_checkpoint() {
  BAOMI_ASSIGN_OR_RETURN(auto r, conn_.exec("SELECT seq, head, time, signature FROM "
                                            "audit_checkpoints ORDER BY seq DESC LIMIT 1"));
  if (r.rows() == 0) return std::optional<CheckpointRow>();
  return std::optional<CheckpointRow>(read_checkpoint(r, 0));
}

Result<void> PgTx::insert_checkpoint(const CheckpointRow& c) {
  auto r = conn_.exec(
      "INSERT INTO audit_checkpoints(seq, head, time, signature) "
      "VALUES($1, $2, $3, $4) ON CONFLICT DO NOTHING",
      Params().int64(i64(c.seq)).text(c.head).int64(c.time_us).text(c.signature));
  return audit_written(r);
}

}  // namespace baomi::storage::postgres
