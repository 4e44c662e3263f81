#include "services/watch/probing_watch.h"

#include <boost/json.hpp>

#include "crypto/random.h"
#include "services/customers/watch.h"
#include "services/watch/episode.h"
#include "services/workflow/json_fields.h"
#include "services/workflow/sealed_objects.h"

namespace baomi::services {
namespace {

namespace json = boost::json;

constexpr std::string_view kCounterKind = "probing_watch";
constexpr std::size_t kTargetsNamed = 10;

// One refusal as the count keeps it: its audit seq, time and target (an id, e.g. "document:…").
struct Refusal {
  std::uint64_t seq = 0;
  std::int64_t at_us = 0;
  std::string target;
};

struct Counter {
  std::optional<StoredObject> stored;
  std::vector<Refusal> refusals;  // within the window, oldest first
  watch::Episode episode;         // the open alert this episode raised, and the episode's end
};

Result<Counter> load(barrier::WriteTx& tx, const SealedObjects& objects, const std::string& id) {
  Counter c;
  BAOMI_ASSIGN_OR_RETURN(c.stored, objects.get(tx, std::string(kCounterKind), id));
  if (!c.stored) return c;
  const auto* list = c.stored->body.if_contains("refusals");
  if (!list || !list->is_array()) return Error::integrity("a stored probing count is damaged");
  for (const auto& item : list->as_array()) {
    BodyReader r(item);
    Refusal f;
    BAOMI_ASSIGN_OR_RETURN(f.seq, r.unsigned_integer("seq"));
    BAOMI_ASSIGN_OR_RETURN(auto at, r.time("at"));
    f.at_us = to_micros(at);
    BAOMI_ASSIGN_OR_RETURN(f.target, r.string("target"));
    c.refusals.push_back(std::move(f));
  }
  BAOMI_ASSIGN_OR_RETURN(c.episode, watch::episode_from(c.stored->body.if_contains("episode")));
  return c;
}

Result<void> save_probe_counts(barrier::WriteTx& tx, const SealedObjects& objects, Counter& c,
                               const std::string& id, TimePoint now) {
  json::array list;
  for (const auto& f : c.refusals) {
    list.push_back(json::object{{"seq", f.seq}, {"at", f.at_us}, {"target", f.target}});
  }
  auto& record = watch::count_record(c.stored, kCounterKind, id, now);
  record.body["refusals"] = std::move(list);
  record.body.erase("episode_until");  // before alerts were updated in place
  record.body["episode"] = watch::to_json(c.episode);
  return watch::put_count(tx, objects, record);
}

std::string sentence(const Counter& c, std::chrono::seconds window) {
  std::vector<std::string> targets;
  for (auto it = c.refusals.rbegin(); it != c.refusals.rend(); ++it) {
    if (std::find(targets.begin(), targets.end(), it->target) == targets.end()) {
      targets.push_back(it->target);
    }
  }
  std::string out = std::to_string(c.refusals.size()) + " refusals within " +
                    customers::window_text(window) + "; targets tried:";
  for (std::size_t i = 0; i < targets.size() && i < kTargetsNamed; ++i) {
    out += (i ? ", " : " ") + targets[i];
  }
  if (targets.size() > kTargetsNamed) {
    out += " and " + std::to_string(targets.size() - kTargetsNamed) + " more";
  }
  return out;
}

}  // namespace

Result<std::vector<audit::AuditEvent>> ProbingWatch::observe(barrier::WriteTx& tx,
                                                             const audit::AuditEvent& event,
                                                             TimePoint now) const {
  std::vector<audit::AuditEvent> follow_ups;
  // S9: refusals of a signed-in account; anonymous failures are the login throttle's business.
  if (event.decision != "deny" || !crypto::is_random_id(event.actor)) return follow_ups;
  const auto& settings = rt_.policy.watch();
  const SealedObjects objects(rt_);
  BAOMI_ASSIGN_OR_RETURN(auto counter, load(tx, objects, event.actor));
  const auto since = to_micros(now - settings.probing_window);
  std::erase_if(counter.refusals, [since](const Refusal& f) { return f.at_us <= since; });
  BAOMI_ASSIGN_OR_RETURN(const auto seq, rt_.audit.next_seq(tx));
  counter.refusals.push_back({seq, to_micros(now), event.target});
  // Enough to cross the threshold and name the episode's refusals; older ones add nothing.
  const auto keep = static_cast<std::size_t>(settings.probing_refusals) + 1;
  if (counter.refusals.size() > keep) {
    counter.refusals.erase(counter.refusals.begin(),
                           counter.refusals.end() - static_cast<std::ptrdiff_t>(keep));
  }
  if (counter.refusals.size() > static_cast<std::size_t>(settings.probing_refusals)) {
    watch::Crossing crossing{"probing",
                             "S9",
                             event.actor,
                             sentence(counter, settings.probing_window),
                             {},
                             counter.refusals.size(),
                             settings.probing_window};
    for (const auto& f : counter.refusals) crossing.seqs.push_back(f.seq);
    BAOMI_ASSIGN_OR_RETURN(auto raised,
                           watch::raise_or_update(tx, objects, counter.episode, crossing, now,
                                                  now + settings.probing_window));
    if (raised) follow_ups.push_back(std::move(*raised));
  }
  BAOMI_TRY(save_probe_counts(tx, objects, counter, event.actor, now));
  return follow_ups;
}

}  // namespace baomi::services
