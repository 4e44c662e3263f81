// SqliteTx: the sealed workflow objects (table `objects`).
#include "storage/sqlite/rows.h"
#include "storage/sqlite/sqlite_tx.h"

namespace baomi::storage::sqlite {
namespace {

constexpr const char* kObjectColumns =
    "kind, id, state, document_id, owner_id, created_at, updated_at, due_at, revision, "
    "wrapped_key, sealed, mac";

ObjectRow read_object(const Statement& s) {
  ObjectRow o;
  o.kind = s.text(0);
  o.id = s.text(1);
  o.state = s.text(2);
  o.document_id = s.text(3);
  o.owner_id = s.text(4);
  o.created_at_us = s.int64(5);
  o.updated_at_us = s.int64(6);
  o.due_at_us = s.opt_int64(7);
  o.revision = static_cast<std::uint64_t>(s.int64(8));
  o.wrapped_key = s.blob(9);
  o.sealed = s.blob(10);
  o.mac = s.text(11);
  return o;
}

void bind_object(Statement& s, const ObjectRow& o) {
  s.bind(1, o.kind)
      .bind(2, o.id)
      .bind(3, o.state)
      .bind(4, o.document_id)
      .bind(5, o.owner_id)
      .bind(6, o.created_at_us)
      .bind(7, o.updated_at_us)
      .bind(8, o.due_at_us)
      .bind(9, i64(o.revision))
      .bind(10, o.wrapped_key)
      .bind(11, o.sealed)
      .bind(12, o.mac);
}

}  // namespace

Result<std::optional<ObjectRow>> SqliteTx::get_object(const std::string& kind,
                                                      const std::string& id) {
  const auto q = sql("SELECT ", kObjectColumns, " FROM objects WHERE kind = ? AND id = ?");
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare(q.c_str()));
  s.bind(1, kind).bind(2, id);
  return one<ObjectRow>(s, read_object);
}

Result<std::vector<ObjectRow>> SqliteTx::list_objects(const ObjectQuery& q) {
  // Every filter is bound (NULL = no filter) so that one cached statement serves all queries.
  const auto text = sql("SELECT ", kObjectColumns,
                        " FROM objects WHERE kind = ?1 AND id > ?2"
                        " AND (?3 IS NULL OR state = ?3)"
                        " AND (?4 IS NULL OR document_id = ?4)"
                        " AND (?5 IS NULL OR owner_id = ?5)"
                        " AND (?6 IS NULL OR (due_at IS NOT NULL AND due_at < ?6))"
                        " ORDER BY id LIMIT ?7");
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare(text.c_str()));
  s.bind(1, q.kind).bind(2, q.after_id);
  const auto opt = [&s](int i, const std::optional<std::string>& v) {
    if (v) {
      s.bind(i, *v);
    } else {
      s.bind_null(i);
    }
  };
  opt(3, q.state);
  opt(4, q.document_id);
  opt(5, q.owner_id);
  s.bind(6, q.due_before_us);
  s.bind(7, static_cast<std::int64_t>(q.limit));
  return all<ObjectRow>(s, read_object);
}

Result<void> SqliteTx::insert_object(const ObjectRow& row) {
  const auto q = sql("INSERT INTO objects(", kObjectColumns, ") VALUES(?,?,?,?,?,?,?,?,?,?,?,?)");
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare(q.c_str()));
  bind_object(s, row);
  return s.run();
}

Result<void> SqliteTx::update_object(const ObjectRow& row) {
  if (row.revision == 0) return Error::internal("an updated object needs a revision above 0");
  BAOMI_ASSIGN_OR_RETURN(
      auto s, db_.prepare("UPDATE objects SET state=?3, document_id=?4, owner_id=?5, "
                          "created_at=?6, updated_at=?7, due_at=?8, revision=?9, wrapped_key=?10, "
                          "sealed=?11, mac=?12 WHERE kind=?1 AND id=?2 AND revision=?13"));
  bind_object(s, row);
  s.bind(13, i64(row.revision - 1));
  BAOMI_TRY(s.run());
  if (db_.changes() == 1) return {};
  BAOMI_ASSIGN_OR_RETURN(auto current, get_object(row.kind, row.id));
  if (!current) return Error::not_found(row.kind + " not found");
  return Error::conflict("concurrent_update", row.kind + " was changed meanwhile");
}

Result<void> SqliteTx::delete_object(const std::string& kind, const std::string& id) {
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare("DELETE FROM objects WHERE kind = ? AND id = ?"));
  s.bind(1, kind).bind(2, id);
  BAOMI_TRY(s.run());
  if (db_.changes() != 1) return Error::not_found(kind + " not found");
  return {};
}

}  // namespace baomi::storage::sqlite
