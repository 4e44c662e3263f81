// Sessions: password login with lockout, bearer-token authentication, logout.
// Tokens are 256-bit random, returned once, stored only as keyed hashes, expire per policy and
// are revoked by logout. Five failures within the policy window lock the account (423).
// Thread-safe (stateless over the Runtime).
#pragma once

#include <string>

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

class Sessions {
 public:
  explicit Sessions(const Runtime& rt) : rt_(rt) {}

  // 401 invalid_credentials for an unknown user or a wrong password (indistinguishable),
  // 423 account_locked while locked. Every attempt is audited.
  Result<LoginResult> login(std::string_view username, std::string_view password) const;
  // 401 unauthenticated for a missing, unknown, expired or revoked token.
  Result<Authenticated> authenticate(std::string_view bearer_token) const;
  Result<void> logout(const Authenticated& who) const;

 private:
  Result<LoginResult> record_failure(const User& user) const;
  const Runtime& rt_;
};

}  // namespace baomi::auth
