#include "auth/throttle_record.h"

#include <boost/json.hpp>

#include "barrier/records.h"

namespace baomi::auth {
namespace {

namespace json = boost::json;

barrier::Records<ThrottleRecord> throttle_records(const Runtime& rt) {
  return barrier::Records<ThrottleRecord>(rt.barrier, throttle_record_type());
}

json::array times_of(const std::deque<TimePoint>& times) {
  json::array out;
  for (const auto& t : times) out.emplace_back(to_micros(t));
  return out;
}

json::value optional_time(const std::optional<TimePoint>& t) {
  return t ? json::value(to_micros(*t)) : json::value(nullptr);
}

Error damaged() { return Error::integrity("a stored login throttle state is damaged"); }

// Reads a stored state; anything unexpected is damage (the MAC held, so it is a bug or foreign).
struct Reader {
  const json::object& o;
  Result<TimePoint> time(std::string_view k) const {
    const auto* v = o.if_contains(k);
    if (!v || !v->is_int64()) return damaged();
    return from_micros(v->as_int64());
  }
  Result<std::optional<TimePoint>> maybe_time(std::string_view k) const {
    const auto* v = o.if_contains(k);
    if (v && v->is_null()) return std::optional<TimePoint>();
    BAOMI_ASSIGN_OR_RETURN(auto t, time(k));
    return std::optional<TimePoint>(t);
  }
  Result<std::deque<TimePoint>> times(std::string_view k) const {
    const auto* v = o.if_contains(k);
    if (!v || !v->is_array()) return damaged();
    std::deque<TimePoint> out;
    for (const auto& t : v->as_array()) {
      if (!t.is_int64()) return damaged();
      out.push_back(from_micros(t.as_int64()));
    }
    return out;
  }
};

std::string encode(const LoginThrottle::PairState& p) {
  return json::serialize(json::object{{"failures", times_of(p.failures)},
                                      {"strikes", p.strikes},
                                      {"refused_until", optional_time(p.refused_until)},
                                      {"last_failure", to_micros(p.last_failure)}});
}

std::string encode(const LoginThrottle::SourceState& s) {
  json::object names;
  for (const auto& [name, at] : s.names) names[name] = to_micros(at);
  return json::serialize(json::object{{"failures", times_of(s.failures)},
                                      {"names", std::move(names)},
                                      {"blocked_until", optional_time(s.blocked_until)},
                                      {"in_episode", s.in_episode},
                                      {"last_seen", to_micros(s.last_seen)}});
}

Result<json::object> parse(const std::string& text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return damaged();
  return std::move(v.as_object());
}

Result<LoginThrottle::PairState> decode_pair(const std::string& text) {
  BAOMI_ASSIGN_OR_RETURN(auto o, parse(text));
  const Reader r{o};
  LoginThrottle::PairState p;
  BAOMI_ASSIGN_OR_RETURN(p.failures, r.times("failures"));
  const auto* strikes = o.if_contains("strikes");
  if (!strikes || !strikes->is_int64()) return damaged();
  p.strikes = static_cast<int>(strikes->as_int64());
  BAOMI_ASSIGN_OR_RETURN(p.refused_until, r.maybe_time("refused_until"));
  BAOMI_ASSIGN_OR_RETURN(p.last_failure, r.time("last_failure"));
  return p;
}

Result<LoginThrottle::SourceState> decode_source(const std::string& text) {
  BAOMI_ASSIGN_OR_RETURN(auto o, parse(text));
  const Reader r{o};
  LoginThrottle::SourceState s;
  BAOMI_ASSIGN_OR_RETURN(s.failures, r.times("failures"));
  const auto* names = o.if_contains("names");
  if (!names || !names->is_object()) return damaged();
  const Reader nr{names->as_object()};
  for (const auto& kv : names->as_object()) {
    BAOMI_ASSIGN_OR_RETURN(auto at, nr.time(kv.key()));
    s.names.emplace(std::string(kv.key()), at);
  }
  BAOMI_ASSIGN_OR_RETURN(s.blocked_until, r.maybe_time("blocked_until"));
  const auto* episode = o.if_contains("in_episode");
  if (!episode || !episode->is_bool()) return damaged();
  s.in_episode = episode->as_bool();
  BAOMI_ASSIGN_OR_RETURN(s.last_seen, r.time("last_seen"));
  return s;
}

// Inserts or replaces the record under `key`.
Result<void> put(const Runtime& rt, barrier::WriteTx& tx, const std::string& key, std::string state,
                 TimePoint now) {
  ThrottleRecord rec{key, std::move(state), now};
  BAOMI_ASSIGN_OR_RETURN(auto stored, throttle_records(rt).get(tx, {key}));
  return stored ? throttle_records(rt).update(tx, rec) : throttle_records(rt).insert(tx, rec);
}

Result<void> drop(const Runtime& rt, barrier::WriteTx& tx, const std::string& key) {
  auto erased = throttle_records(rt).erase(tx, {key});
  if (!erased.ok() && erased.error().kind == ErrorKind::kNotFound) return {};
  return erased;
}

}  // namespace

const barrier::RecordType<ThrottleRecord>& throttle_record_type() {
  static const auto type = barrier::RecordType<ThrottleRecord>("login_throttle")
                               .key("key", &ThrottleRecord::key)
                               .text("state", &ThrottleRecord::state)
                               .time("updated_at", &ThrottleRecord::updated_at)
                               .mac("mac")
                               .index("login_throttle_updated", {"updated_at"});
  return type;
}

std::string ThrottleStore::pair_key(const std::string& source, const std::string& name_key) const {
  return rt_.barrier.audit_hash("login-throttle-pair\n" + source + "\n" + name_key);
}

std::string ThrottleStore::source_key(const std::string& source) const {
  return rt_.barrier.audit_hash("login-throttle-source\n" + source);
}

Result<ThrottleStates> ThrottleStore::load(barrier::ReadTx& tx, const std::string& source,
                                           const std::string& name_key) const {
  ThrottleStates out;
  BAOMI_ASSIGN_OR_RETURN(auto pair, throttle_records(rt_).get(tx, {pair_key(source, name_key)}));
  if (pair) {
    BAOMI_ASSIGN_OR_RETURN(out.pair, decode_pair(pair->state));
  }
  BAOMI_ASSIGN_OR_RETURN(auto src, throttle_records(rt_).get(tx, {source_key(source)}));
  if (src) {
    BAOMI_ASSIGN_OR_RETURN(out.source, decode_source(src->state));
  }
  return out;
}

Result<void> ThrottleStore::save(barrier::WriteTx& tx, const std::string& source,
                                 const std::string& name_key, const ThrottleStates& states,
                                 TimePoint now) const {
  const auto pk = pair_key(source, name_key);
  BAOMI_TRY(states.pair ? put(rt_, tx, pk, encode(*states.pair), now) : drop(rt_, tx, pk));
  if (states.source) BAOMI_TRY(put(rt_, tx, source_key(source), encode(*states.source), now));
  return {};
}

Result<std::size_t> ThrottleStore::erase_idle(barrier::WriteTx& tx, TimePoint before,
                                              std::size_t max) const {
  barrier::Scan scan;
  scan.where.push_back({"updated_at", barrier::Compare::kLess, to_micros(before)});
  scan.order_by = {"updated_at"};
  scan.limit = max;
  const auto stored = throttle_records(rt_);
  BAOMI_ASSIGN_OR_RETURN(auto keys, stored.scan_keys(tx, scan));
  for (const auto& key : keys) BAOMI_TRY(stored.erase(tx, key));
  return keys.size();
}

}  // namespace baomi::auth
