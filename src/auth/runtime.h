// Runtime: the handles every service needs, bundled so they are passed, not global.
// The clock is injected so tests decide what "now" is (no sleeping tests).
#pragma once

#include <functional>

#include "audit/audit_log.h"
#include "barrier/barrier.h"
#include "core/time.h"
#include "crypto/password.h"
#include "policy/policy.h"
#include "storage/store.h"

namespace baomi::auth {

struct Runtime {
  storage::Store& store;
  const barrier::Barrier& barrier;
  const policy::Policy& policy;
  const audit::AuditLog& audit;
  std::function<TimePoint()> clock = now_utc;
  // Argon2id cost for new password hashes; tests lower it, production never does.
  crypto::PwhashCost password_cost = crypto::PwhashCost::kInteractive;

  TimePoint now() const { return clock(); }
};

}  // namespace baomi::auth
