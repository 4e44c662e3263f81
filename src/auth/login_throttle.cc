#include "auth/login_throttle.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstdio>

namespace baomi::auth {
namespace {

using std::chrono::seconds;

// Whole seconds, rounded up, so that a client retrying after Retry-After is never early.
seconds ceil_seconds(TimePoint::duration d) {
  return std::max(seconds{1}, std::chrono::ceil<seconds>(d));
}

std::string pair_key(const std::string& source, const std::string& name_key) {
  return source + '\n' + name_key;
}

template <typename Deque>
void drop_before(Deque& times, TimePoint oldest) {
  while (!times.empty() && times.front() < oldest) times.pop_front();
}

}  // namespace

LoginThrottle::LoginThrottle(const policy::LockoutSettings& settings)
    : settings_(settings),
      pairs_(static_cast<std::size_t>(settings.tracked_entries)),
      sources_(static_cast<std::size_t>(settings.tracked_entries)) {}

seconds LoginThrottle::delay_for(int strikes) const {
  seconds delay = settings_.first_delay;
  for (int i = 1; i < strikes && delay < settings_.max_delay; ++i) delay *= 2;
  return std::min(delay, settings_.max_delay);
}

LoginGate LoginThrottle::check(const std::string& source, const std::string& name_key,
                               TimePoint now) {
  std::lock_guard lock(mu_);
  LoginGate gate;
  if (SourceState* s = sources_.find(source); s && s->blocked_until && *s->blocked_until > now) {
    s->last_seen = now;  // a source still trying keeps its episode open
    gate.verdict = LoginGate::Verdict::kRateLimited;
    gate.retry_after = ceil_seconds(*s->blocked_until - now);
    return gate;
  }
  const PairState* p = pairs_.find(pair_key(source, name_key));
  if (p == nullptr || !p->refused_until || *p->refused_until <= now) return gate;
  gate.verdict = LoginGate::Verdict::kLocked;
  gate.retry_after = ceil_seconds(*p->refused_until - now);
  gate.source_block = note_source_failure(source, name_key, now);
  return gate;
}

LoginFailure LoginThrottle::failed(const std::string& source, const std::string& name_key,
                                   TimePoint now) {
  std::lock_guard lock(mu_);
  LoginFailure out;
  PairState& p = pairs_.touch(pair_key(source, name_key));
  // Strikes are forgotten after a whole window without failures, counted from the refusal's end.
  const auto active_until = std::max(p.last_failure, p.refused_until.value_or(TimePoint{}));
  if (now - active_until >= settings_.window) p.strikes = 0;
  p.last_failure = now;
  drop_before(p.failures, now - settings_.window);
  p.failures.push_back(now);
  while (p.failures.size() > static_cast<std::size_t>(settings_.max_failures)) {
    p.failures.pop_front();
  }
  out.failures = static_cast<int>(p.failures.size());
  // Once refused, every further failure refuses again (for longer) until the pair is quiet.
  if (p.strikes > 0 || out.failures >= settings_.max_failures) {
    ++p.strikes;
    out.pair_delay = delay_for(p.strikes);
    p.refused_until = now + *out.pair_delay;
  }
  out.source_block = note_source_failure(source, name_key, now);
  return out;
}

std::optional<SourceBlock> LoginThrottle::note_source_failure(const std::string& source,
                                                              const std::string& name_key,
                                                              TimePoint now) {
  SourceState& s = sources_.touch(source);
  const auto oldest = now - settings_.source_window;
  // An episode ends after a whole window without failures, counted from the end of its block.
  const auto active_until = std::max(s.last_seen, s.blocked_until.value_or(TimePoint{}));
  if (s.in_episode && active_until < oldest) s.in_episode = false;
  s.last_seen = now;
  drop_before(s.failures, oldest);
  std::erase_if(s.names, [&](const auto& kv) { return kv.second < oldest; });
  const auto max_failures = static_cast<std::size_t>(settings_.source_max_failures);
  const auto max_names = static_cast<std::size_t>(settings_.source_max_names);
  s.failures.push_back(now);
  if (s.failures.size() > max_failures + 1) s.failures.pop_front();
  // Beyond the threshold further names change nothing, so the map stays bounded too.
  if (s.names.size() <= max_names || s.names.count(name_key) != 0) s.names[name_key] = now;
  if (s.failures.size() <= max_failures && s.names.size() <= max_names) return std::nullopt;
  if (s.blocked_until && *s.blocked_until > now) return std::nullopt;
  s.blocked_until = now + settings_.source_block;
  const bool new_episode = !s.in_episode;
  s.in_episode = true;
  return SourceBlock{source,
                     s.names.size(),
                     s.failures.size(),
                     settings_.source_window,
                     settings_.source_block,
                     new_episode};
}

void LoginThrottle::succeeded(const std::string& source, const std::string& name_key) {
  std::lock_guard lock(mu_);
  pairs_.erase(pair_key(source, name_key));
}

seconds LoginThrottle::source_retry_after(const std::string& source, TimePoint now) {
  std::lock_guard lock(mu_);
  const SourceState* s = sources_.find(source);
  if (s == nullptr || !s->blocked_until || *s->blocked_until <= now) return seconds{0};
  return ceil_seconds(*s->blocked_until - now);
}

void LoginThrottle::adopt(const std::string& source, const std::string& name_key,
                          std::optional<PairState> pair, std::optional<SourceState> source_state) {
  std::lock_guard lock(mu_);
  const auto key = pair_key(source, name_key);
  if (pair) {
    pairs_.touch(key) = std::move(*pair);
  } else {
    pairs_.erase(key);
  }
  if (source_state) {
    sources_.touch(source) = std::move(*source_state);
  } else {
    sources_.erase(source);
  }
}

std::optional<LoginThrottle::PairState> LoginThrottle::pair(const std::string& source,
                                                            const std::string& name_key) {
  std::lock_guard lock(mu_);
  const PairState* p = pairs_.find(pair_key(source, name_key));
  return p ? std::optional<PairState>(*p) : std::nullopt;
}

std::optional<LoginThrottle::SourceState> LoginThrottle::source(const std::string& source) {
  std::lock_guard lock(mu_);
  const SourceState* s = sources_.find(source);
  return s ? std::optional<SourceState>(*s) : std::nullopt;
}

std::optional<SourceBlock> LoginThrottle::refused(const std::string& source,
                                                  const std::string& name_key, TimePoint now) {
  std::lock_guard lock(mu_);
  return note_source_failure(source, name_key, now);
}

std::size_t LoginThrottle::tracked_pairs() const {
  std::lock_guard lock(mu_);
  return pairs_.size();
}

std::size_t LoginThrottle::tracked_sources() const {
  std::lock_guard lock(mu_);
  return sources_.size();
}

std::string login_source_key(std::string_view remote_address) {
  const std::string text(remote_address);
  std::array<unsigned char, 16> v6{};
  if (inet_pton(AF_INET6, text.c_str(), v6.data()) != 1) return text;  // IPv4 or "unknown"
  const bool v4_mapped = std::all_of(v6.begin(), v6.begin() + 10, [](auto b) { return b == 0; }) &&
                         v6[10] == 0xff && v6[11] == 0xff;
  if (v4_mapped) {
    char buf[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, v6.data() + 12, buf, sizeof buf);
    return buf;
  }
  if (text == "::1") return text;  // the console: never grouped with other addresses
  std::array<unsigned char, 16> prefix{};
  std::copy(v6.begin(), v6.begin() + 8, prefix.begin());
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(AF_INET6, prefix.data(), buf, sizeof buf);
  return std::string(buf) + "/64";
}

}  // namespace baomi::auth
