// PgTx: the audit Merkle tree's stored nodes and signed tree heads (I1, S10).
#include "storage/postgres/pg_tx.h"

namespace baomi::storage::postgres {
namespace {

constexpr const char* kTreeHeadSelect =
    "SELECT tree_size, root_hash, head, time, signature FROM audit_tree_heads";

std::int64_t i64(std::uint64_t v) { return static_cast<std::int64_t>(v); }

TreeHeadRow read_tree_head(const PgResult& r, int row) {
  return {static_cast<std::uint64_t>(r.int64(row, 0)), r.text(row, 1), r.text(row, 2),
          r.int64(row, 3), r.text(row, 4)};
}

std::optional<TreeHeadRow> first_head(const PgResult& r) {
  if (r.rows() == 0) return std::nullopt;
  return read_tree_head(r, 0);
}

}  // namespace

Result<std::optional<Bytes>> PgTx::get_audit_tree_node(unsigned level, std::uint64_t index) {
  BAOMI_ASSIGN_OR_RETURN(
      auto r, conn_.exec("SELECT hash FROM audit_tree WHERE level = $1 AND idx = $2",
                         Params().int64(static_cast<std::int64_t>(level)).int64(i64(index))));
  if (r.rows() == 0) return std::optional<Bytes>();
  return std::optional<Bytes>(r.bytes(0, 0));
}

Result<std::vector<TreeHeadRow>> PgTx::list_tree_heads() {
  BAOMI_ASSIGN_OR_RETURN(auto r, conn_.exec(std::string(kTreeHeadSelect) + " ORDER BY tree_size"));
  std::vector<TreeHeadRow> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(read_tree_head(r, i));
  return out;
}

Result<std::optional<TreeHeadRow>> PgTx::latest_tree_head() {
  BAOMI_ASSIGN_OR_RETURN(
      auto r, conn_.exec(std::string(kTreeHeadSelect) + " ORDER BY tree_size DESC LIMIT 1"));
  return first_head(r);
}

Result<std::optional<TreeHeadRow>> PgTx::first_tree_head_from(std::uint64_t min_size) {
  BAOMI_ASSIGN_OR_RETURN(auto r, conn_.exec(std::string(kTreeHeadSelect) +
                                                " WHERE tree_size >= $1 ORDER BY tree_size LIMIT 1",
                                            Params().int64(i64(min_size))));
  return first_head(r);
}

Result<void> PgTx::insert_audit_tree_node(unsigned level, std::uint64_t index, const Bytes& hash) {
  auto r = conn_.exec(
      "INSERT INTO audit_tree(level, idx, hash) VALUES($1, $2, $3) ON CONFLICT DO NOTHING",
      Params().int64(static_cast<std::int64_t>(level)).int64(i64(index)).bytes(hash));
  // Written with the entry that completes the subtree: no tree, no entry, no action (fail closed).
  if (!r.ok() || r->affected() != 1) return Error::unavailable("audit trail unavailable");
  return {};
}

Result<void> PgTx::clear_audit_tree() {
  BAOMI_TRY(conn_.exec("DELETE FROM audit_tree"));
  return {};
}

Result<void> PgTx::insert_tree_head(const TreeHeadRow& t) {
  auto r = conn_.exec(
      "INSERT INTO audit_tree_heads(tree_size, root_hash, head, time, signature) "
      "VALUES($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
      Params()
          .int64(i64(t.tree_size))
          .text(t.root_hash)
          .text(t.head)
          .int64(t.time_us)
          .text(t.signature));
  if (!r.ok() || r->affected() != 1) return Error::unavailable("audit trail unavailable");
  return {};
}

}  // namespace baomi::storage::postgres
