#include "services/customers/watch_store.h"

#include <boost/json.hpp>

#include "services/workflow/json_fields.h"
#include "services/workflow/sealed_objects.h"

namespace baomi::services::customers {
namespace {

namespace json = boost::json;

constexpr std::string_view kKind = "customer_watch";

Result<WatchCounts> counts_of(const StoredObject& o) {
  WatchCounts c;
  const auto* seen = o.body.if_contains("seen");
  const auto* searches = o.body.if_contains("searches");
  if (!seen || !seen->is_object() || !searches || !searches->is_array()) {
    return Error::integrity("a stored customer watch count is damaged");
  }
  BodyReader seen_reader(seen->as_object());
  for (const auto& kv : seen->as_object()) {
    BAOMI_ASSIGN_OR_RETURN(auto at, seen_reader.time(kv.key()));
    c.seen.emplace(std::string(kv.key()), at);
  }
  for (const auto& t : searches->as_array()) {
    if (!t.is_int64()) return Error::integrity("a stored customer watch count is damaged");
    c.searches.push_back(from_micros(t.as_int64()));
  }
  BodyReader r(o.body);
  BAOMI_ASSIGN_OR_RETURN(c.view_alert_at, r.optional_time("view_alert_at"));
  BAOMI_ASSIGN_OR_RETURN(c.search_alert_at, r.optional_time("search_alert_at"));
  return c;
}

json::object body_of(const WatchCounts& c) {
  json::object seen;
  for (const auto& [id, at] : c.seen) seen[id] = to_micros(at);
  json::array searches;
  for (const auto& t : c.searches) searches.emplace_back(to_micros(t));
  json::object body{{"seen", std::move(seen)}, {"searches", std::move(searches)}};
  if (c.view_alert_at) body["view_alert_at"] = to_micros(*c.view_alert_at);
  if (c.search_alert_at) body["search_alert_at"] = to_micros(*c.search_alert_at);
  return body;
}

}  // namespace

Result<std::vector<std::string>> count_read(const auth::Runtime& rt, const CustomerWatch& watch,
                                            barrier::WriteTx& tx, const std::string& account,
                                            const std::vector<std::string>& viewed, bool searched,
                                            TimePoint now) {
  std::vector<std::string> sentences;
  if (viewed.empty() && !searched) return sentences;
  const SealedObjects objects(rt);
  BAOMI_ASSIGN_OR_RETURN(auto stored, objects.get(tx, std::string(kKind), account));
  WatchCounts counts;
  if (stored) {
    BAOMI_ASSIGN_OR_RETURN(counts, counts_of(*stored));
  }
  if (auto s = watch.viewed(counts, viewed, now)) sentences.push_back(std::move(*s));
  if (searched) {
    if (auto s = watch.searched(counts, now)) sentences.push_back(std::move(*s));
  }
  if (!stored) {
    StoredObject o;
    o.kind = std::string(kKind);
    o.id = account;
    o.state = "counting";
    o.owner_id = account;
    o.created_at = now;
    stored = std::move(o);
  }
  stored->updated_at = now;
  stored->body = body_of(counts);
  BAOMI_TRY(stored->revision == 0 ? objects.insert(tx, *stored) : objects.update(tx, *stored));
  return sentences;
}

}  // namespace baomi::services::customers
