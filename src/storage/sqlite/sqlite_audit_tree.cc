// SqliteTx: the audit Merkle tree's stored nodes and signed tree heads (I1, S10).
#include "storage/sqlite/rows.h"
#include "storage/sqlite/sqlite_tx.h"

namespace baomi::storage::sqlite {
namespace {

constexpr const char* kTreeHeadColumns = "tree_size, root_hash, head, time, signature";

TreeHeadRow read_tree_head(const Statement& s) {
  return {static_cast<std::uint64_t>(s.int64(0)), s.text(1), s.text(2), s.int64(3), s.text(4)};
}

}  // namespace

Result<std::optional<Bytes>> SqliteTx::get_audit_tree_node(unsigned level, std::uint64_t index) {
  BAOMI_ASSIGN_OR_RETURN(auto s,
                         db_.prepare("SELECT hash FROM audit_tree WHERE level = ? AND idx = ?"));
  s.bind(1, static_cast<std::int64_t>(level)).bind(2, i64(index));
  return one<Bytes>(s, [](const Statement& st) { return st.blob(0); });
}

Result<std::vector<TreeHeadRow>> SqliteTx::list_tree_heads() {
  const auto q = sql("SELECT ", kTreeHeadColumns, " FROM audit_tree_heads ORDER BY tree_size");
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare(q.c_str()));
  return all<TreeHeadRow>(s, read_tree_head);
}

Result<std::optional<TreeHeadRow>> SqliteTx::latest_tree_head() {
  const auto q =
      sql("SELECT ", kTreeHeadColumns, " FROM audit_tree_heads ORDER BY tree_size DESC LIMIT 1");
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare(q.c_str()));
  return one<TreeHeadRow>(s, read_tree_head);
}

Result<std::optional<TreeHeadRow>> SqliteTx::first_tree_head_from(std::uint64_t min_size) {
  const auto q = sql("SELECT ", kTreeHeadColumns,
                     " FROM audit_tree_heads WHERE tree_size >= ? ORDER BY tree_size LIMIT 1");
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare(q.c_str()));
  s.bind(1, i64(min_size));
  return one<TreeHeadRow>(s, read_tree_head);
}

Result<void> SqliteTx::insert_audit_tree_node(unsigned level, std::uint64_t index,
                                              const Bytes& hash) {
  BAOMI_ASSIGN_OR_RETURN(auto s,
                         db_.prepare("INSERT INTO audit_tree(level, idx, hash) VALUES(?,?,?)"));
  s.bind(1, static_cast<std::int64_t>(level)).bind(2, i64(index)).bind(3, hash);
  // Written with the entry that completes the subtree: no tree, no entry, no action (fail closed).
  if (!s.run().ok()) return Error::unavailable("audit trail unavailable");
  return {};
}

Result<void> SqliteTx::clear_audit_tree() {
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare("DELETE FROM audit_tree"));
  return s.run();
}

Result<void> SqliteTx::insert_tree_head(const TreeHeadRow& t) {
  const auto q = sql("INSERT INTO audit_tree_heads(", kTreeHeadColumns, ") VALUES(?,?,?,?,?)");
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare(q.c_str()));
  s.bind(1, i64(t.tree_size))
      .bind(2, t.root_hash)
      .bind(3, t.head)
      .bind(4, t.time_us)
      .bind(5, t.signature);
  if (!s.run().ok()) return Error::unavailable("audit trail unavailable");
  return {};
}

}  // namespace baomi::storage::sqlite
