// Investigations::timeline: the audit entries about a case's documents, merged in trail order.
// Every entry about a document names it or one of its requests, grants, copies or incidents as
// its target, and the trail is indexed by (target, seq): one indexed range per target, each
// read only as far as the page needs, then merged. Nothing scans the trail.
#include <algorithm>
#include <charconv>
#include <set>

#include "audit/detail.h"
#include "audit/trail_reader.h"
#include "services/copies/copy.h"
#include "services/documents/document.h"
#include "services/grants/grant.h"
#include "services/incidents/incident.h"
#include "services/investigations/investigations.h"
#include "services/requests/request.h"

namespace baomi::services {
namespace {

struct KindTarget {
  std::string_view kind;
  std::string_view prefix;
};

// The workflow objects whose audit entries belong to a document's story, and how each one's
// entries name it.
constexpr KindTarget kDocumentObjects[] = {{kRequestKind, "request:"},
                                           {kGrantKind, "grant:"},
                                           {kCopyKind, "copy:"},
                                           {kIncidentKind, "incident:"}};

Result<std::uint64_t> parse_cursor(const std::string& cursor) {
  if (cursor.empty()) return std::uint64_t{0};
  std::uint64_t seq = 0;
  const auto [end, ec] = std::from_chars(cursor.data(), cursor.data() + cursor.size(), seq);
  if (ec != std::errc() || end != cursor.data() + cursor.size()) {
    return Error::invalid("invalid_field", "query parameter 'cursor' is not a timeline cursor");
  }
  return seq;
}

}  // namespace

Result<std::vector<std::string>> Investigations::timeline_targets(const Case& c) const {
  std::set<std::string> documents(c.investigation.document_ids.begin(),
                                  c.investigation.document_ids.end());
  std::set<std::string> targets;
  for (const auto& e : c.evidence) {
    for (const auto& m : e.matches) {
      if (!m.document_id.empty()) documents.insert(m.document_id);
      if (!m.serial.empty()) targets.insert("copy:" + m.serial);
    }
  }
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    for (const auto& doc : documents) {
      targets.insert(document_target(doc));
      for (const auto& [kind, prefix] : kDocumentObjects) {
        ObjectQuery q;
        q.kind = std::string(kind);
        q.document_id = doc;
        q.limit = 512;
        for (;;) {
          // Only the clear ids are needed: the rows are not opened.
          BAOMI_ASSIGN_OR_RETURN(auto ids, SealedObjects(rt_).list_ids(tx, q));
          for (const auto& id : ids) targets.insert(std::string(prefix) + id);
          if (ids.size() < q.limit) break;
          q.after_id = ids.back();
        }
      }
    }
    return {};
  }));
  return std::vector<std::string>(targets.begin(), targets.end());
}

Result<TimelinePage> Investigations::timeline_of(const std::vector<std::string>& targets,
                                                 std::uint64_t after, std::size_t limit) const {
  std::vector<audit::AuditRow> rows;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    for (const auto& target : targets) {
      audit::AuditQuery q;
      q.target = target;
      q.after_seq = after;
      q.limit = limit + 1;  // one more tells whether another page follows
      BAOMI_ASSIGN_OR_RETURN(auto some, audit::query_trail(tx, q));
      rows.insert(rows.end(), std::make_move_iterator(some.begin()),
                  std::make_move_iterator(some.end()));
    }
    return {};
  }));
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.seq < b.seq; });
  TimelinePage page;
  for (auto& r : rows) {
    if (page.items.size() == limit) {
      page.next_cursor = std::to_string(page.items.back().seq);
      break;
    }
    page.items.push_back({r.seq, from_micros(r.time_us), std::move(r.actor), std::move(r.action),
                          std::move(r.target), std::move(r.decision), std::move(r.rule),
                          std::move(r.detail), std::move(r.hash)});
  }
  return page;
}

Result<TimelinePage> Investigations::timeline(const auth::User& actor, const std::string& id,
                                              const std::string& cursor, std::size_t limit) const {
  BAOMI_ASSIGN_OR_RETURN(const auto after, parse_cursor(cursor));
  BAOMI_ASSIGN_OR_RETURN(auto c, load(actor, id, "investigation.timeline", true));
  BAOMI_ASSIGN_OR_RETURN(auto targets, timeline_targets(c));
  BAOMI_ASSIGN_OR_RETURN(auto page, timeline_of(targets, after, limit));
  BAOMI_TRY(rt_.audit.record(
      rt_.store,
      {actor.id, "investigation.timeline", "investigation:" + id, "allow", "S10",
       audit::Detail{}.add("events", page.items.size()).add("targets", targets.size())},
      rt_.now()));
  return page;
}

Result<CaseRecord> Investigations::record(const auth::User& actor, const std::string& id) const {
  BAOMI_ASSIGN_OR_RETURN(auto c, load(actor, id, "investigation.record", true));
  BAOMI_ASSIGN_OR_RETURN(auto targets, timeline_targets(c));
  CaseRecord out;
  BAOMI_ASSIGN_OR_RETURN(out.copy_holders, holders_of(c));
  std::uint64_t after = 0;
  for (;;) {
    BAOMI_ASSIGN_OR_RETURN(auto page, timeline_of(targets, after, 1000));
    for (auto& e : page.items) out.timeline.push_back(std::move(e));
    if (!page.next_cursor) break;
    after = out.timeline.back().seq;
  }
  BAOMI_TRY(rt_.audit.record(
      rt_.store,
      {actor.id, "investigation.record", "investigation:" + id, "allow", "S10",
       audit::Detail{}.add("evidence", c.evidence.size()).add("events", out.timeline.size())},
      rt_.now()));
  out.investigation = std::move(c.investigation);
  out.evidence = std::move(c.evidence);
  return out;
}

}  // namespace baomi::services
