#include "services/customers/watch_store.h"

#include <boost/json.hpp>

#include "services/watch/episode.h"
#include "services/workflow/json_fields.h"
#include "services/workflow/sealed_objects.h"

namespace baomi::services::customers {
namespace {

namespace json = boost::json;

constexpr std::string_view kKind = "customer_watch";
constexpr std::string_view kAlertType = "customer_watch";
// Episode keys: one alert episode for viewing, one for searching.
constexpr std::string_view kViewing = "viewing";
constexpr std::string_view kSearching = "searching";

Error damaged() { return Error::integrity("a stored customer watch count is damaged"); }

// {"at","seq"}; a bare time from before the counts kept seqs.
Result<Seen> seen_from(const json::value& v) {
  if (v.is_int64()) return Seen{from_micros(v.as_int64()), 0};
  if (!v.is_object()) return damaged();
  BodyReader r(v);
  Seen s;
  BAOMI_ASSIGN_OR_RETURN(s.at, r.time("at"));
  BAOMI_ASSIGN_OR_RETURN(s.seq, r.unsigned_integer("seq"));
  return s;
}

json::object to_json(const Seen& s) { return {{"at", to_micros(s.at)}, {"seq", s.seq}}; }

struct Record {
  WatchCounts counts;
  std::map<std::string, watch::Episode> episodes;
};

Result<Record> record_of(const StoredObject& o) {
  Record rec;
  const auto* seen = o.body.if_contains("seen");
  const auto* searches = o.body.if_contains("searches");
  if (!seen || !seen->is_object() || !searches || !searches->is_array()) return damaged();
  for (const auto& kv : seen->as_object()) {
    BAOMI_ASSIGN_OR_RETURN(auto s, seen_from(kv.value()));
    rec.counts.seen.emplace(std::string(kv.key()), s);
  }
  for (const auto& t : searches->as_array()) {
    BAOMI_ASSIGN_OR_RETURN(auto s, seen_from(t));
    rec.counts.searches.push_back(s);
  }
  BAOMI_ASSIGN_OR_RETURN(rec.episodes, watch::episodes_from(o.body.if_contains("episodes")));
  return rec;
}

json::object body_of(const Record& rec) {
  json::object seen;
  for (const auto& [id, s] : rec.counts.seen) seen[id] = to_json(s);
  json::array searches;
  for (const auto& s : rec.counts.searches) searches.emplace_back(to_json(s));
  return {{"seen", std::move(seen)},
          {"searches", std::move(searches)},
          {"episodes", watch::to_json(rec.episodes)}};
}

}  // namespace

Result<std::vector<audit::AuditEvent>> count_read(const auth::Runtime& rt,
                                                  const CustomerWatch& watch, barrier::WriteTx& tx,
                                                  const std::string& account,
                                                  const std::vector<std::string>& viewed,
                                                  bool searched, TimePoint now, std::uint64_t seq) {
  std::vector<audit::AuditEvent> raised;
  if (viewed.empty() && !searched) return raised;
  const SealedObjects objects(rt);
  BAOMI_ASSIGN_OR_RETURN(auto stored, objects.get(tx, std::string(kKind), account));
  Record rec;
  if (stored) {
    BAOMI_ASSIGN_OR_RETURN(rec, record_of(*stored));
  }
  // C4: one alert per episode, as the probing and read watches do (episode.h).
  const auto cross = [&](std::string_view episode, const WatchCrossing& c) -> Result<void> {
    const watch::Crossing crossing{
        std::string(kAlertType), "C4", account, c.sentence, c.seqs, c.count, c.window, "customers"};
    BAOMI_ASSIGN_OR_RETURN(auto event,
                           watch::raise_or_update(tx, objects, rec.episodes[std::string(episode)],
                                                  crossing, now, now + c.window));
    if (event) raised.push_back(std::move(*event));
    return {};
  };
  if (auto c = watch.viewed(rec.counts, viewed, now, seq)) BAOMI_TRY(cross(kViewing, *c));
  if (searched) {
    if (auto c = watch.searched(rec.counts, now, seq)) BAOMI_TRY(cross(kSearching, *c));
  }
  auto& record = watch::count_record(stored, kKind, account, now);
  record.body = body_of(rec);
  BAOMI_TRY(watch::put_count(tx, objects, record));
  return raised;
}

}  // namespace baomi::services::customers
