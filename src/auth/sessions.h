// Sessions: password login with throttling, bearer-token authentication, logout.
// Tokens are 256-bit random, returned once, stored only as keyed hashes, expire per policy and
// are revoked by logout. Failed logins are counted per (name, source address) and per source
// (LoginThrottle, S9): a name failing from one source is refused there (423), never elsewhere;
// a source failing across many names is refused altogether (429) and raises an alert.
// The throttle's states live in the store (throttle_record.h), so that several server processes
// on one database share them: each login adopts them before deciding, and a failure is counted
// inside the write job that audits it.
// Thread-safe: the throttle locks its own state; everything else is stateless over the Runtime.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "auth/login_throttle.h"
#include "auth/user.h"

namespace baomi::auth {

struct LoginResult {
  std::string token;
  TimePoint expires_at;
  User user;
};

struct Authenticated {
  User user;
  std::string token_hash;
};

// Raises the alert of a new spraying episode inside the transaction that audits it (the
// services layer owns alerts; set once at start-up, before serving).
using SprayingAlert = std::function<Result<void>(barrier::WriteTx&, const SourceBlock&, TimePoint)>;

struct LoginRecord;  // what one failed or refused attempt leaves in the audit trail

// What this process's logins came to since it started (for /metrics; S9).
struct LoginCounts {
  std::uint64_t failed = 0;                // wrong password or unknown name (401)
  std::uint64_t refused_locked = 0;        // 423: the name refused from that source
  std::uint64_t refused_rate_limited = 0;  // 429: the source refused
  std::uint64_t pair_throttles = 0;        // refusal periods begun for a (name, source) pair
  std::uint64_t source_blocks = 0;         // blocks begun for a source (spraying, guessing)
};

class Sessions {
 public:
  explicit Sessions(const Runtime& rt);

  void set_spraying_alert(SprayingAlert alert) { spraying_alert_ = std::move(alert); }

  // `source` is the client's address (Request::remote_address()). 401 invalid_credentials for
  // an unknown name or a wrong password; 423 account_locked while that name is refused from that
  // source; 429 rate_limited while the source is. The answers for unknown and known names are
  // the same in every state, and each costs one password hash except 429 (S9). Every attempt
  // but a 429 is audited; a 429 episode is audited when it starts.
  Result<LoginResult> login(std::string_view username, std::string_view password,
                            std::string_view source) const;
  // Seconds until `source` may try again (for Retry-After); 0 when it is not refused.
  std::chrono::seconds retry_after(std::string_view source) const;
  // 401 unauthenticated for a missing, unknown, expired or revoked token.
  Result<Authenticated> authenticate(std::string_view bearer_token) const;
  // What a request reads next, run in the token check's own read transaction once the token is
  // valid: one transaction instead of two, and one snapshot for the session, the account and
  // what the request reads (issue 14). It keeps its own outcome: whatever it finds (or fails
  // to read) does not change the token check's.
  using AlsoRead = std::function<void(barrier::ReadTx&, const Authenticated&)>;
  Result<Authenticated> authenticate(std::string_view bearer_token, const AlsoRead& also) const;
  Result<void> logout(const Authenticated& who) const;
  LoginCounts login_counts() const;

 private:
  // Audits a failure (or a refusal) and whatever throttling it started, in one transaction.
  Result<void> record(const LoginRecord& r, TimePoint now) const;
  Result<LoginResult> open_session(const User& user, const std::string& source,
                                   const std::string& name_key, TimePoint now) const;
  Result<void> forget_idle_throttling(barrier::WriteTx& tx, TimePoint now) const;
  const Runtime& rt_;
  std::string decoy_hash_;  // verified for unknown names: same cost as a real check
  std::unique_ptr<LoginThrottle> throttle_;
  SprayingAlert spraying_alert_;
  struct Counters {
    std::atomic<std::uint64_t> failed{0}, locked{0}, rate_limited{0}, pair_throttles{0},
        source_blocks{0};
  };
  std::unique_ptr<Counters> counters_ = std::make_unique<Counters>();
};

}  // namespace baomi::auth
