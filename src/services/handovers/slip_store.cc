#include "services/handovers/slip_store.h"

#include <algorithm>

#include "barrier/records.h"
#include "services/handovers/slip_records.h"
#include "services/handovers/slip_rules.h"

namespace baomi::services {
namespace {

using barrier::Compare;
using barrier::Condition;

constexpr std::size_t kSlipPage = 256;

barrier::Records<Slip> slip_records(const auth::Runtime& rt) {
  return barrier::Records<Slip>(rt.barrier, slip_record_type());
}
barrier::Records<SlipVersionRecord> version_records(const auth::Runtime& rt) {
  return barrier::Records<SlipVersionRecord>(rt.barrier, slip_version_record_type());
}
barrier::Records<SlipCopyRecord> copy_records(const auth::Runtime& rt) {
  return barrier::Records<SlipCopyRecord>(rt.barrier, slip_copy_record_type());
}

std::int64_t as_row_number(std::uint64_t n) { return static_cast<std::int64_t>(n); }

barrier::Row key_of(const SlipVersionRecord& v) { return {v.slip_id, as_row_number(v.version)}; }
barrier::Row key_of(const SlipCopyRecord& c) {
  return {c.slip_id, as_row_number(c.version), c.department};
}

// Every row of one slip in `records` (keyed by slip id first), in key order, read in pages.
template <typename T>
Result<std::vector<T>> all_of_slip(barrier::ReadTx& tx, const barrier::Records<T>& records,
                                   const std::string& slip_id, barrier::Opening opening) {
  const auto& table = records.table();
  std::vector<T> out;
  barrier::Scan scan;
  scan.where = {{"slip_id", Compare::kEqual, slip_id}};
  for (std::size_t i = 0; i < table.key_size; ++i) scan.order_by.push_back(table.columns[i].name);
  scan.limit = kSlipPage;
  std::optional<barrier::Row> after;
  for (;;) {
    scan.after_key = after;
    BAOMI_ASSIGN_OR_RETURN(auto page, records.scan(tx, scan, opening));
    const bool last = page.size() < kSlipPage;
    if (!page.empty()) after = key_of(page.back());
    for (auto& r : page) out.push_back(std::move(r));
    if (last) return out;
  }
}

// One disjunct of the state filter: a stored state (or any) and, for open slips, whether the
// deadline has passed as of the query's time.
struct StateClause {
  std::optional<std::string> state;
  std::optional<bool> due_passed;
};

std::vector<StateClause> clauses_of_state(const std::optional<std::string>& state) {
  if (!state) return {{}};
  // H2: deadlines are judged as of the query's time, never by when the sweep last ran.
  if (*state == "overdue") {
    return {{"overdue", std::nullopt}, {"issued", true}, {"acknowledged", true}};
  }
  if (*state == "issued" || *state == "acknowledged") return {{*state, false}};
  return {{*state, std::nullopt}};
}

// The state filter and the sweep's lapsed_only, both at once (each a disjunction of clauses).
std::vector<StateClause> state_clauses(const SlipQuery& q) {
  std::vector<StateClause> out;
  const std::vector<StateClause> lapsed =
      q.lapsed_only ? std::vector<StateClause>{{"issued", true}, {"acknowledged", true}}
                    : std::vector<StateClause>{{}};
  for (const auto& a : clauses_of_state(q.state)) {
    for (const auto& b : lapsed) {
      if (a.state && b.state && *a.state != *b.state) continue;
      if (a.due_passed && b.due_passed && *a.due_passed != *b.due_passed) continue;
      out.push_back({a.state ? a.state : b.state, a.due_passed ? a.due_passed : b.due_passed});
    }
  }
  return out;
}

barrier::Scan slip_scan(const SlipQuery& q, const StateClause& clause, const std::string& after,
                        std::size_t limit) {
  barrier::Scan scan;
  auto& w = scan.where;
  w.push_back({"id", Compare::kGreater, after});
  if (clause.state) w.push_back({"state", Compare::kEqual, *clause.state});
  const auto at = to_micros(q.overdue_at);
  if (clause.due_passed) {
    // Passed: due_at <= at (integers: < at + 1); not yet: due_at > at.
    w.push_back(*clause.due_passed ? Condition{"due_at", Compare::kLess, at + 1}
                                   : Condition{"due_at", Compare::kGreater, at});
  }
  if (q.shift_date) w.push_back({"shift_date", Compare::kEqual, *q.shift_date});
  if (q.shift_name) w.push_back({"shift_name", Compare::kEqual, *q.shift_name});
  if (q.author_id) w.push_back({"author_id", Compare::kEqual, *q.author_id});
  if (q.carried_from) w.push_back({"carried_from", Compare::kEqual, *q.carried_from});
  if (q.with_alert) w.push_back({"alert_id", Compare::kGreater, std::string()});
  scan.order_by = {"id"};
  scan.limit = limit;
  return scan;
}

}  // namespace

Result<void> SlipStore::insert_version(barrier::WriteTx& tx, const SlipContent& c,
                                       const std::string& hash,
                                       const std::vector<std::string>& departments) const {
  // Sealed under the slip's data key: the slip row is written first.
  SlipVersionRecord v{c.slip_id, c.version, c.author_id, c.created_at, hash, c.prev_hash, c};
  BAOMI_TRY(version_records(rt_).insert(tx, v));
  // H1: one bound copy per receiving department, each carrying the same content hash.
  const auto copies = copy_records(rt_);
  for (const auto& department : departments) {
    SlipCopyRecord copy{c.slip_id, c.version, department, hash, "", std::nullopt};
    BAOMI_TRY(copies.insert(tx, copy));
  }
  return {};
}

Result<void> SlipStore::insert(barrier::WriteTx& tx, Slip& slip, const SlipContent& content,
                               const std::string& hash,
                               const std::vector<std::string>& departments) const {
  BAOMI_TRY(slip_records(rt_).insert(tx, slip));
  return insert_version(tx, content, hash, departments);
}

Result<void> SlipStore::add_version(barrier::WriteTx& tx, Slip& slip, const SlipContent& content,
                                    const std::string& hash,
                                    const std::vector<std::string>& departments) const {
  BAOMI_TRY(insert_version(tx, content, hash, departments));
  return update(tx, slip);
}

Result<void> SlipStore::update(barrier::WriteTx& tx, Slip& slip) const {
  auto updated = slip_records(rt_).update(tx, slip);
  if (!updated.ok() && updated.error().kind == ErrorKind::kNotFound) {
    return Error::not_found("handover slip not found");
  }
  if (!updated.ok() && updated.error().kind == ErrorKind::kConflict) {
    return Error::conflict("concurrent_update", "the slip was changed meanwhile");
  }
  return updated;
}

Result<void> SlipStore::acknowledge(barrier::WriteTx& tx, const std::string& slip_id,
                                    const SlipCopy& copy) const {
  const auto copies = copy_records(rt_);
  BAOMI_ASSIGN_OR_RETURN(auto stored,
                         copies.get(tx, {slip_id, as_row_number(copy.version), copy.department}));
  if (!stored) return Error::not_found("handover copy not found");
  // H1: an acknowledged copy stays acknowledged; only the acknowledgement is written.
  if (stored->acknowledged_at) {
    return Error::conflict("already_acknowledged", "this copy is already acknowledged");
  }
  stored->acknowledged_by = copy.acknowledged_by.value_or("");
  stored->acknowledged_at = copy.acknowledged_at;
  return copies.update(tx, *stored);
}

Result<void> SlipStore::purge(barrier::WriteTx& tx, Slip& slip, TimePoint now) const {
  const auto versions = version_records(rt_);
  BAOMI_ASSIGN_OR_RETURN(auto stored,
                         all_of_slip(tx, versions, slip.id, barrier::Opening::kClearOnly));
  for (auto& v : stored) BAOMI_TRY(versions.shred(tx, v));
  // H3: without its data key nothing sealed under it can ever be opened again.
  slip.state = SlipState::kPurged;
  slip.updated_at = now;
  slip.progress = {};
  auto shredded = slip_records(rt_).shred(tx, slip);
  if (!shredded.ok() && shredded.error().kind == ErrorKind::kConflict) {
    return Error::conflict("concurrent_update", "the slip was changed meanwhile");
  }
  return shredded;
}

Result<std::optional<Slip>> SlipStore::get(barrier::ReadTx& tx, const std::string& id) const {
  return slip_records(rt_).get(tx, {id});
}

Result<std::vector<Slip>> SlipStore::scan_page(barrier::ReadTx& tx, const SlipQuery& q,
                                               const std::string& after) const {
  // Each clause is one scan in id order; the first `limit` ids of their union are among the
  // first `limit` of each, so merging the scans' pages gives the union's page.
  const auto slips = slip_records(rt_);
  std::vector<Slip> merged;
  for (const auto& clause : state_clauses(q)) {
    BAOMI_ASSIGN_OR_RETURN(auto page, slips.scan(tx, slip_scan(q, clause, after, q.limit),
                                                 barrier::Opening::kClearOnly));
    for (auto& slip : page) merged.push_back(std::move(slip));
  }
  std::sort(merged.begin(), merged.end(), [](const Slip& a, const Slip& b) { return a.id < b.id; });
  merged.erase(std::unique(merged.begin(), merged.end(),
                           [](const Slip& a, const Slip& b) { return a.id == b.id; }),
               merged.end());
  if (merged.size() > q.limit) merged.resize(q.limit);
  return merged;
}

Result<bool> SlipStore::has_copy(barrier::ReadTx& tx, const Slip& slip, const SlipQuery& q) const {
  BAOMI_ASSIGN_OR_RETURN(
      auto copy,
      copy_records(rt_).get(tx, {slip.id, as_row_number(slip.current_version), *q.department}));
  if (!copy) return false;
  return !q.acknowledged || copy->acknowledged_at.has_value() == *q.acknowledged;
}

Result<std::vector<Slip>> SlipStore::list(barrier::ReadTx& tx, const SlipQuery& q) const {
  std::vector<Slip> out;
  if (q.limit == 0) return out;
  std::string after = q.after_id;
  for (;;) {
    BAOMI_ASSIGN_OR_RETURN(auto page, scan_page(tx, q, after));
    if (!q.department) return page;
    // The department's copy of the current version: a second read per slip, not a join.
    for (auto& slip : page) {
      BAOMI_ASSIGN_OR_RETURN(bool matches, has_copy(tx, slip, q));
      if (matches) out.push_back(std::move(slip));
      if (out.size() == q.limit) return out;
    }
    if (page.size() < q.limit) return out;
    after = page.back().id;
  }
}

Result<std::vector<SlipVersion>> SlipStore::versions(barrier::ReadTx& tx, const Slip& slip,
                                                     bool open_content) const {
  const bool open = open_content && slip.state != SlipState::kPurged;
  BAOMI_ASSIGN_OR_RETURN(
      auto stored, all_of_slip(tx, version_records(rt_), slip.id,
                               open ? barrier::Opening::kSealed : barrier::Opening::kClearOnly));
  std::vector<SlipVersion> out;
  out.reserve(stored.size());
  for (auto& v : stored) {
    // H1: the content must still hash to what was recorded at issue.
    if (v.content && content_hash(*v.content) != v.content_hash) {
      return Error::integrity("a slip's content does not match its recorded hash");
    }
    if (open && !v.content) return Error::integrity("a slip's content is missing");
    out.push_back(
        {v.version, v.author_id, v.created_at, v.content_hash, v.prev_hash, std::move(v.content)});
  }
  return out;
}

Result<std::vector<SlipCopy>> SlipStore::copies(barrier::ReadTx& tx, const std::string& id) const {
  BAOMI_ASSIGN_OR_RETURN(auto stored,
                         all_of_slip(tx, copy_records(rt_), id, barrier::Opening::kSealed));
  std::vector<SlipCopy> out;
  out.reserve(stored.size());
  for (auto& c : stored) {
    out.push_back(
        {c.version, c.department, c.content_hash,
         c.acknowledged_by.empty() ? std::nullopt : std::optional<std::string>(c.acknowledged_by),
         c.acknowledged_at});
  }
  return out;
}

}  // namespace baomi::services
