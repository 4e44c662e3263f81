// LoginThrottle (S9): remembers failed logins per (account name, source address) and per source
// address, in memory and bounded, and says whether the next attempt may be checked.
//  - One name from one source: after `max_failures` failures within `window` that pair is
//    refused (423) for `first_delay`; each further failure doubles the period up to `max_delay`.
//    The same name from another source is unaffected, so nobody can lock another person out.
//  - One source across names: more than `source_max_names` distinct names or more than
//    `source_max_failures` failures within `source_window` (password spraying, guessing) refuses
//    every login from that source (429) for `source_block`. The first block of an episode asks
//    for an alert; an episode ends after a whole `source_window` without failures from there.
// Names are keyed hashes (never clear usernames). Both maps hold at most `tracked_entries`
// entries; the least recently used are forgotten, so no flood of names or sources exhausts
// memory. Time is an input. On its own it forgets everything at a restart, which only shortens
// refusals; Sessions keeps the states in the store so that all instances share them.
// Thread-safe: one mutex guards all state.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "auth/lru_map.h"
#include "core/time.h"
#include "policy/policy.h"

namespace baomi::auth {

// A source just blocked for failing too often: what the audit entry and the alert say (counts
// only, never names).
struct SourceBlock {
  std::string source;
  std::size_t names = 0;     // distinct names that failed within the window
  std::size_t failures = 0;  // failures in all within the window
  std::chrono::seconds window{0};
  std::chrono::seconds blocked_for{0};
  bool new_episode = false;  // the first block of an episode: raise an alert
};

struct LoginGate {
  enum class Verdict { kOpen, kLocked, kRateLimited };
  Verdict verdict = Verdict::kOpen;
  std::chrono::seconds retry_after{0};      // for kLocked and kRateLimited, rounded up
  std::optional<SourceBlock> source_block;  // this refusal blocked its source
};

struct LoginFailure {
  std::optional<std::chrono::seconds> pair_delay;  // set when this failure refuses the pair
  int failures = 0;                                // of the pair within the window
  std::optional<SourceBlock> source_block;         // this failure blocked its source
};

class LoginThrottle {
 public:
  // What is remembered of one (source, name) pair and of one source.
  struct PairState {
    std::deque<TimePoint> failures;  // within `window`, at most max_failures
    int strikes = 0;                 // refusal periods since the pair was last quiet
    std::optional<TimePoint> refused_until;
    TimePoint last_failure{};
  };
  struct SourceState {
    std::deque<TimePoint> failures;  // within `source_window`, at most source_max_failures + 1
    std::unordered_map<std::string, TimePoint> names;  // name -> last failure, bounded likewise
    std::optional<TimePoint> blocked_until;
    bool in_episode = false;
    TimePoint last_seen{};
  };

  explicit LoginThrottle(const policy::LockoutSettings& settings);

  // Before the password is checked. A refusal of a refused pair counts as a failure of its
  // source (each one costs a password hash), so hammering a refused name ends in a 429.
  LoginGate check(const std::string& source, const std::string& name_key, TimePoint now);
  // After a wrong password or an unknown name (the same thing here).
  LoginFailure failed(const std::string& source, const std::string& name_key, TimePoint now);
  // After a right password: the pair starts afresh (its source keeps its counts).
  void succeeded(const std::string& source, const std::string& name_key);
  // How long the source is still refused (0 when it is not).
  std::chrono::seconds source_retry_after(const std::string& source, TimePoint now);

  // Several server processes on one database (issue 13): the store holds the truth (auth's
  // throttle_record.h). Before deciding, the caller adopts the stored states of the pair and
  // its source (nullopt: nothing stored, forget what this process has); after, it saves them.
  void adopt(const std::string& source, const std::string& name_key, std::optional<PairState> pair,
             std::optional<SourceState> source_state);
  std::optional<PairState> pair(const std::string& source, const std::string& name_key);
  std::optional<SourceState> source(const std::string& source);
  // A refusal (423) of a refused pair counted against its source, as check() counts it.
  std::optional<SourceBlock> refused(const std::string& source, const std::string& name_key,
                                     TimePoint now);

  std::size_t tracked_pairs() const;
  std::size_t tracked_sources() const;

 private:
  std::optional<SourceBlock> note_source_failure(const std::string& source,
                                                 const std::string& name_key, TimePoint now);
  std::chrono::seconds delay_for(int strikes) const;

  const policy::LockoutSettings settings_;
  mutable std::mutex mu_;
  LruMap<PairState> pairs_;
  LruMap<SourceState> sources_;
};

// The address a login is counted under: IPv4 as is (IPv4-mapped IPv6 too), IPv6 by its /64
// prefix (one host usually owns a whole /64, so single addresses would be free to rotate),
// anything else ("unknown") as given.
std::string login_source_key(std::string_view remote_address);

}  // namespace baomi::auth
