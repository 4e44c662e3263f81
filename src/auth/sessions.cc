#include "auth/sessions.h"

#include "audit/detail.h"
#include "auth/session_record.h"
#include "auth/throttle_record.h"
#include "barrier/records.h"
#include "crypto/password.h"
#include "crypto/random.h"

namespace baomi::auth {
namespace {

Error invalid_credentials() {
  return {ErrorKind::kUnauthenticated, "invalid_credentials", "invalid username or password", {}};
}
Error account_locked() {
  return {ErrorKind::kLocked,
          "account_locked",
          "account locked after repeated failed logins; try again later",
          {}};
}
Error unauthenticated() {
  return {ErrorKind::kUnauthenticated, "unauthenticated", "missing, invalid or expired token", {}};
}

barrier::Records<SessionRecord> session_records(const Runtime& rt) {
  return barrier::Records<SessionRecord>(rt.barrier, session_record_type());
}

// Ends every session past its expiry (a login's housekeeping; the login's entry commits to it).
Result<void> erase_expired_sessions(const Runtime& rt, barrier::WriteTx& tx, TimePoint now) {
  barrier::Scan scan;
  scan.where.push_back({"expires_at", barrier::Compare::kLess, to_micros(now) + 1});
  scan.order_by = {"expires_at"};
  scan.limit = 256;  // bounded per login; the rest go at the next ones
  const auto records = session_records(rt);
  BAOMI_ASSIGN_OR_RETURN(auto keys, records.scan_keys(tx, scan));
  for (const auto& key : keys) BAOMI_TRY(records.erase(tx, key));
  return {};
}

Error rate_limited() {
  return {ErrorKind::kRateLimited, "rate_limited",
          "too many failed logins from this address; try again later", "S9"};
}

}  // namespace

struct LoginRecord {
  std::string actor;          // the account's id, or "-" for an unknown name
  std::string target;         // "user:<id>" or "user:unknown"
  std::string reason;         // "invalid_credentials" or "account_locked"
  std::string username_hash;  // unknown names only: which name was tried, as a keyed hash
  std::string source;
  std::string name_key;  // the tried name's keyed hash (the throttle's key)
};

Sessions::Sessions(const Runtime& rt)
    : rt_(rt),
      // Verified for unknown names at the cost real accounts have, so both take the same time.
      decoy_hash_(crypto::hash_password("baomi-decoy-password", rt.password_cost).value()),
      throttle_(std::make_unique<LoginThrottle>(rt.policy.lockout())) {}

Result<LoginResult> Sessions::login(std::string_view username, std::string_view password,
                                    std::string_view source_address) const {
  const auto now = rt_.now();
  const std::string source = login_source_key(source_address);
  const auto index = username_index(rt_.barrier, username);
  std::optional<User> user;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    // The states every instance shares (throttle_record.h), as they stand now.
    BAOMI_ASSIGN_OR_RETURN(auto states, ThrottleStore(rt_).load(tx, source, index));
    throttle_->adopt(source, index, std::move(states.pair), std::move(states.source));
    BAOMI_ASSIGN_OR_RETURN(user, find_user_by_username(rt_, tx, username));
    return {};
  }));
  const auto gate = throttle_->check(source, index, now);
  // S9: a source spraying names is refused before any hash; the block was audited.
  if (gate.verdict == LoginGate::Verdict::kRateLimited) {
    counters_->rate_limited.fetch_add(1, std::memory_order_relaxed);
    return rate_limited();
  }

  LoginRecord rec;
  rec.source = source;
  rec.name_key = index;
  rec.actor = user ? user->id : "-";
  rec.target = user ? "user:" + user->id : "user:unknown";
  if (!user) rec.username_hash = rt_.barrier.audit_hash(normalise_username(username));
  // One hash in every case but a 429, refused or not, known name or not: the same time class.
  const bool right =
      crypto::verify_password(user ? user->password_hash : decoy_hash_, password) && user;

  if (gate.verdict == LoginGate::Verdict::kLocked) {
    rec.reason = "account_locked";
    BAOMI_TRY(record(rec, now));
    counters_->locked.fetch_add(1, std::memory_order_relaxed);
    return account_locked();
  }
  if (!right) {
    rec.reason = "invalid_credentials";
    BAOMI_TRY(record(rec, now));
    counters_->failed.fetch_add(1, std::memory_order_relaxed);
    // The attempt that starts a refusal still reports bad credentials; the next ones get 423.
    return invalid_credentials();
  }
  return open_session(*user, source, index, now);
}

LoginCounts Sessions::login_counts() const {
  const auto& c = *counters_;
  return {c.failed.load(std::memory_order_relaxed), c.locked.load(std::memory_order_relaxed),
          c.rate_limited.load(std::memory_order_relaxed),
          c.pair_throttles.load(std::memory_order_relaxed),
          c.source_blocks.load(std::memory_order_relaxed)};
}

std::chrono::seconds Sessions::retry_after(std::string_view source) const {
  return throttle_->source_retry_after(login_source_key(source), rt_.now());
}

Result<LoginResult> Sessions::open_session(const User& user, const std::string& source,
                                           const std::string& name_key, TimePoint now) const {
  const std::string target = "user:" + user.id;
  LoginResult result{crypto::random_token(), now + rt_.policy.session_ttl(), user};
  SessionRecord session{rt_.barrier.token_hash(result.token), user.id, now, result.expires_at};
  BAOMI_TRY(rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    BAOMI_TRY(erase_expired_sessions(rt_, tx, now));
    BAOMI_TRY(forget_idle_throttling(tx, now));
    // After a right password the pair starts afresh, on every instance (its source keeps its
    // counts).
    const ThrottleStore throttling(rt_);
    BAOMI_ASSIGN_OR_RETURN(const auto states, throttling.load(tx, source, name_key));
    if (states.pair) BAOMI_TRY(throttling.save(tx, source, name_key, {}, now));
    BAOMI_TRY(session_records(rt_).insert(tx, session));
    BAOMI_TRY(rt_.audit.append(tx, {user.id, "session.create", target, "allow", "", "{}"}, now));
    return {};
  }));
  throttle_->succeeded(source, name_key);
  return result;
}

// Records nothing can refuse anyone with any more: idle past every window and refusal period.
Result<void> Sessions::forget_idle_throttling(barrier::WriteTx& tx, TimePoint now) const {
  const auto& l = rt_.policy.lockout();
  const auto idle = std::max(l.window, l.source_window) + std::max(l.max_delay, l.source_block);
  constexpr std::size_t kPerLogin = 64;  // bounded per login; the rest go at the next ones
  BAOMI_TRY(ThrottleStore(rt_).erase_idle(tx, now - idle, kPerLogin));
  return {};
}

Result<void> Sessions::record(const LoginRecord& r, TimePoint now) const {
  bool throttled = false, blocked = false;  // what the committed job began, for /metrics
  BAOMI_TRY(rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    // The failure counts against the states as every instance last stored them: the store's
    // single writer (one advisory lock across processes) orders the failures of all instances.
    const ThrottleStore throttling(rt_);
    BAOMI_ASSIGN_OR_RETURN(auto states, throttling.load(tx, r.source, r.name_key));
    throttle_->adopt(r.source, r.name_key, std::move(states.pair), std::move(states.source));
    LoginFailure f;
    if (r.reason == "account_locked") {
      f.source_block = throttle_->refused(r.source, r.name_key, now);
    } else {
      f = throttle_->failed(r.source, r.name_key, now);
    }
    throttled = f.pair_delay.has_value();
    blocked = f.source_block.has_value();
    BAOMI_TRY(throttling.save(tx, r.source, r.name_key,
                              {throttle_->pair(r.source, r.name_key), throttle_->source(r.source)},
                              now));
    BAOMI_TRY(forget_idle_throttling(tx, now));
    audit::Detail detail;
    detail.add("reason", r.reason).add("source", r.source);
    if (!r.username_hash.empty()) detail.add("username_hash", r.username_hash);
    if (f.failures > 0) detail.add("failures", f.failures);
    BAOMI_TRY(rt_.audit.append(tx, {r.actor, "session.create", r.target, "deny", "", detail}, now));
    if (f.pair_delay) {
      // S9: repeated failures of one name from one source: refused there for a while.
      BAOMI_TRY(rt_.audit.append(tx,
                                 {"system", "session.throttle", r.target, "deny", "S9",
                                  audit::Detail{}
                                      .add("source", r.source)
                                      .add("failures", f.failures)
                                      .add("refused_for_s", f.pair_delay->count())},
                                 now));
    }
    if (!f.source_block) return {};
    const auto& b = *f.source_block;
    // S9: probing across names from one source: every login from there refused for a while.
    BAOMI_TRY(rt_.audit.append(tx,
                               {"system", "session.throttle", "source:" + b.source, "deny", "S9",
                                audit::Detail{}
                                    .add("source", b.source)
                                    .add("names", b.names)
                                    .add("failures", b.failures)
                                    .add("window_s", b.window.count())
                                    .add("refused_for_s", b.blocked_for.count())},
                               now));
    if (b.new_episode && spraying_alert_) BAOMI_TRY(spraying_alert_(tx, b, now));
    return {};
  }));
  if (throttled) counters_->pair_throttles.fetch_add(1, std::memory_order_relaxed);
  if (blocked) counters_->source_blocks.fetch_add(1, std::memory_order_relaxed);
  return {};
}

Result<Authenticated> Sessions::authenticate(std::string_view bearer_token) const {
  return authenticate(bearer_token, AlsoRead());
}

Result<Authenticated> Sessions::authenticate(std::string_view bearer_token,
                                             const AlsoRead& also) const {
  if (bearer_token.empty() || bearer_token.size() > 128) return unauthenticated();
  const auto hash = rt_.barrier.token_hash(bearer_token);
  const auto now = rt_.now();
  std::optional<Authenticated> who;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    // A session row edited in the database (another owner, a later expiry) or an ended one put
    // back is refused (integrity), never honoured.
    BAOMI_ASSIGN_OR_RETURN(auto session, session_records(rt_).get(tx, {hash}));
    if (!session) return {};
    if (session->expires_at <= now) return {};
    BAOMI_ASSIGN_OR_RETURN(auto user, load_user(rt_, tx, session->user_id));
    who = Authenticated{std::move(user), hash};
    if (also) also(tx, *who);
    return {};
  }));
  if (!who) return unauthenticated();
  return std::move(*who);
}

Result<void> Sessions::logout(const Authenticated& who) const {
  const auto now = rt_.now();
  return rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    // Ended meanwhile (a second logout, the expiry housekeeping): still ended, still audited.
    auto erased = session_records(rt_).erase(tx, {who.token_hash});
    if (!erased.ok() && erased.error().kind != ErrorKind::kNotFound) return erased;
    BAOMI_TRY(rt_.audit.append(
        tx, {who.user.id, "session.delete", "user:" + who.user.id, "allow", "", "{}"}, now));
    return {};
  });
}

}  // namespace baomi::auth
