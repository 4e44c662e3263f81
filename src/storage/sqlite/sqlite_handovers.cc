// SqliteTx: handover slips (tables handovers, handover_versions, handover_copies).
// List queries are built from the filters actually set, so each uses its index (state, author,
// shift, department copy) instead of a scan; the statement cache keeps one per combination.
#include <functional>

#include "storage/sqlite/rows.h"
#include "storage/sqlite/sqlite_tx.h"

namespace baomi::storage::sqlite {
namespace {

constexpr const char* kSlipColumns =
    "h.id, h.author_id, h.shift_date, h.shift_name, h.state, h.current_version, h.created_at, "
    "h.updated_at, h.due_at, h.confirmed_at, h.retain_until, h.hold, h.carried_from, "
    "h.alert_id, h.revision, h.wrapped_key, h.sealed, h.mac";

HandoverRow read_slip(const Statement& s) {
  HandoverRow r;
  r.id = s.text(0);
  r.author_id = s.text(1);
  r.shift_date = s.text(2);
  r.shift_name = s.text(3);
  r.state = s.text(4);
  r.current_version = static_cast<std::uint64_t>(s.int64(5));
  r.created_at_us = s.int64(6);
  r.updated_at_us = s.int64(7);
  r.due_at_us = s.int64(8);
  r.confirmed_at_us = s.opt_int64(9);
  r.retain_until_us = s.opt_int64(10);
  r.hold = s.int64(11) != 0;
  r.carried_from = s.text(12);
  r.alert_id = s.text(13);
  r.revision = static_cast<std::uint64_t>(s.int64(14));
  r.wrapped_key = s.blob(15);
  r.sealed = s.blob(16);
  r.mac = s.text(17);
  return r;
}

void bind_slip(Statement& s, const HandoverRow& r) {
  s.bind(1, r.id)
      .bind(2, r.author_id)
      .bind(3, r.shift_date)
      .bind(4, r.shift_name)
      .bind(5, r.state)
      .bind(6, i64(r.current_version))
      .bind(7, r.created_at_us)
      .bind(8, r.updated_at_us)
      .bind(9, r.due_at_us)
      .bind(10, r.confirmed_at_us)
      .bind(11, r.retain_until_us)
      .bind(12, std::int64_t{r.hold ? 1 : 0})
      .bind(13, r.carried_from)
      .bind(14, r.alert_id)
      .bind(15, i64(r.revision))
      .bind(16, r.wrapped_key)
      .bind(17, r.sealed)
      .bind(18, r.mac);
}

HandoverVersionRow read_version(const Statement& s) {
  HandoverVersionRow v;
  v.slip_id = s.text(0);
  v.version = static_cast<std::uint64_t>(s.int64(1));
  v.author_id = s.text(2);
  v.created_at_us = s.int64(3);
  v.content_hash = s.text(4);
  v.prev_hash = s.text(5);
  v.sealed = s.blob(6);
  v.mac = s.text(7);
  return v;
}

HandoverCopyRow read_copy(const Statement& s) {
  HandoverCopyRow c;
  c.slip_id = s.text(0);
  c.version = static_cast<std::uint64_t>(s.int64(1));
  c.department = s.text(2);
  c.content_hash = s.text(3);
  c.acknowledged_by = s.text(4);
  c.acknowledged_at_us = s.opt_int64(5);
  c.mac = s.text(6);
  return c;
}

// The WHERE clause of a list and the binds that go with it, in order.
struct ListSql {
  std::string where = " WHERE h.id > ?";
  std::vector<std::function<void(Statement&, int)>> binds;

  void add(const std::string& clause, std::function<void(Statement&, int)> bind) {
    where += " AND " + clause;
    if (bind) binds.push_back(std::move(bind));
  }
  void add_text(const std::string& clause, const std::string& value) {
    add(clause, [value](Statement& s, int i) { s.bind(i, value); });
  }
};

void add_state_filter(ListSql& l, const HandoverQuery& q) {
  const auto at = q.overdue_at_us;
  const auto bind_at = [at](Statement& s, int i) { s.bind(i, at); };
  if (q.lapsed_only) {
    l.add("h.state IN ('issued','acknowledged') AND h.due_at <= ?", bind_at);
  }
  if (!q.state) return;
  // H2: deadlines are judged as of `overdue_at_us`, never by when the sweep last ran.
  if (*q.state == "overdue") {
    l.add("(h.state = 'overdue' OR (h.state IN ('issued','acknowledged') AND h.due_at <= ?))",
          bind_at);
  } else if (*q.state == "issued" || *q.state == "acknowledged") {
    l.add_text("h.state = ?", *q.state);
    l.add("h.due_at > ?", bind_at);
  } else {
    l.add_text("h.state = ?", *q.state);
  }
}

ListSql list_sql(const HandoverQuery& q) {
  ListSql l;
  const auto after = q.after_id;
  l.binds.push_back([after](Statement& s, int i) { s.bind(i, after); });
  add_state_filter(l, q);
  if (q.department) {
    std::string clause =
        "EXISTS (SELECT 1 FROM handover_copies c WHERE c.slip_id = h.id AND c.version = "
        "h.current_version AND c.department = ?";
    if (q.acknowledged) {
      clause +=
          *q.acknowledged ? " AND c.acknowledged_at IS NOT NULL" : " AND c.acknowledged_at IS NULL";
    }
    l.add_text(clause + ")", *q.department);
  }
  if (q.shift_date) l.add_text("h.shift_date = ?", *q.shift_date);
  if (q.shift_name) l.add_text("h.shift_name = ?", *q.shift_name);
  if (q.author_id) l.add_text("h.author_id = ?", *q.author_id);
  if (q.carried_from) l.add_text("h.carried_from = ?", *q.carried_from);
  if (q.with_alert) l.add("h.alert_id <> ''", nullptr);
  return l;
}

}  // namespace

Result<std::optional<HandoverRow>> SqliteTx::get_handover(const std::string& id) {
  const auto q = sql("SELECT ", kSlipColumns, " FROM handovers h WHERE h.id = ?");
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare(q.c_str()));
  s.bind(1, id);
  return one<HandoverRow>(s, read_slip);
}

Result<std::vector<HandoverRow>> SqliteTx::list_handovers(const HandoverQuery& q) {
  const auto l = list_sql(q);
  const auto text =
      sql("SELECT ", kSlipColumns, " FROM handovers h") + l.where + " ORDER BY h.id LIMIT ?";
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare(text.c_str()));
  int i = 1;
  for (const auto& bind : l.binds) bind(s, i++);
  s.bind(i, static_cast<std::int64_t>(q.limit));
  return all<HandoverRow>(s, read_slip);
}

Result<std::vector<HandoverVersionRow>> SqliteTx::list_handover_versions(
    const std::string& slip_id) {
  BAOMI_ASSIGN_OR_RETURN(
      auto s, db_.prepare("SELECT slip_id, version, author_id, created_at, content_hash, "
                          "prev_hash, sealed, mac FROM handover_versions WHERE slip_id = ? "
                          "ORDER BY version"));
  s.bind(1, slip_id);
  return all<HandoverVersionRow>(s, read_version);
}

Result<std::vector<HandoverCopyRow>> SqliteTx::list_handover_copies(const std::string& slip_id) {
  BAOMI_ASSIGN_OR_RETURN(
      auto s, db_.prepare("SELECT slip_id, version, department, content_hash, acknowledged_by, "
                          "acknowledged_at, mac FROM handover_copies WHERE slip_id = ? "
                          "ORDER BY version, department"));
  s.bind(1, slip_id);
  return all<HandoverCopyRow>(s, read_copy);
}

Result<void> SqliteTx::insert_handover(const HandoverRow& row) {
  BAOMI_ASSIGN_OR_RETURN(
      auto s, db_.prepare("INSERT INTO handovers(id, author_id, shift_date, shift_name, state, "
                          "current_version, created_at, updated_at, due_at, confirmed_at, "
                          "retain_until, hold, carried_from, alert_id, revision, wrapped_key, "
                          "sealed, mac) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
  bind_slip(s, row);
  return s.run();
}

Result<void> SqliteTx::update_handover(const HandoverRow& row) {
  if (row.revision == 0) return Error::internal("an updated slip needs a revision above 0");
  BAOMI_ASSIGN_OR_RETURN(
      auto s, db_.prepare("UPDATE handovers SET author_id=?2, shift_date=?3, shift_name=?4, "
                          "state=?5, current_version=?6, created_at=?7, updated_at=?8, due_at=?9, "
                          "confirmed_at=?10, retain_until=?11, hold=?12, carried_from=?13, "
                          "alert_id=?14, revision=?15, wrapped_key=?16, sealed=?17, mac=?18 "
                          "WHERE id=?1 AND revision=?19"));
  bind_slip(s, row);
  s.bind(19, i64(row.revision - 1));
  BAOMI_TRY(s.run());
  if (db_.changes() == 1) return {};
  BAOMI_ASSIGN_OR_RETURN(auto current, get_handover(row.id));
  if (!current) return Error::not_found("handover slip not found");
  return Error::conflict("concurrent_update", "the slip was changed meanwhile");
}

Result<void> SqliteTx::insert_handover_version(const HandoverVersionRow& v) {
  BAOMI_ASSIGN_OR_RETURN(auto s,
                         db_.prepare("INSERT INTO handover_versions(slip_id, version, author_id, "
                                     "created_at, content_hash, prev_hash, sealed, mac) "
                                     "VALUES(?,?,?,?,?,?,?,?)"));
  s.bind(1, v.slip_id)
      .bind(2, i64(v.version))
      .bind(3, v.author_id)
      .bind(4, v.created_at_us)
      .bind(5, v.content_hash)
      .bind(6, v.prev_hash)
      .bind(7, v.sealed)
      .bind(8, v.mac);
  return s.run();
}

Result<void> SqliteTx::shred_handover_version(const HandoverVersionRow& v) {
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare("UPDATE handover_versions SET sealed=?, mac=? "
                                             "WHERE slip_id=? AND version=?"));
  s.bind(1, v.sealed).bind(2, v.mac).bind(3, v.slip_id).bind(4, i64(v.version));
  BAOMI_TRY(s.run());
  if (db_.changes() != 1) return Error::not_found("handover version not found");
  return {};
}

Result<void> SqliteTx::insert_handover_copy(const HandoverCopyRow& c) {
  BAOMI_ASSIGN_OR_RETURN(auto s,
                         db_.prepare("INSERT INTO handover_copies(slip_id, version, department, "
                                     "content_hash, acknowledged_by, acknowledged_at, mac) "
                                     "VALUES(?,?,?,?,?,?,?)"));
  s.bind(1, c.slip_id)
      .bind(2, i64(c.version))
      .bind(3, c.department)
      .bind(4, c.content_hash)
      .bind(5, c.acknowledged_by)
      .bind(6, c.acknowledged_at_us)
      .bind(7, c.mac);
  return s.run();
}

Result<void> SqliteTx::acknowledge_handover_copy(const HandoverCopyRow& c) {
  // H1: the content hash is not among the columns written; an acknowledged copy stays so.
  BAOMI_ASSIGN_OR_RETURN(
      auto s, db_.prepare("UPDATE handover_copies SET acknowledged_by=?, acknowledged_at=?, "
                          "mac=? WHERE slip_id=? AND version=? AND department=? "
                          "AND acknowledged_at IS NULL"));
  s.bind(1, c.acknowledged_by)
      .bind(2, c.acknowledged_at_us)
      .bind(3, c.mac)
      .bind(4, c.slip_id)
      .bind(5, i64(c.version))
      .bind(6, c.department);
  BAOMI_TRY(s.run());
  if (db_.changes() != 1) {
    return Error::conflict("already_acknowledged", "this copy is already acknowledged");
  }
  return {};
}

}  // namespace baomi::storage::sqlite
