// Runtime: the handles every service needs, bundled so they are passed, not global.
// The clock is injected so tests decide what "now" is (no sleeping tests).
#pragma once

#include <functional>

#include "audit/audit_log.h"
#include "barrier/barrier.h"
#include "barrier/transaction.h"
#include "core/time.h"
#include "crypto/password.h"
#include "crypto/random.h"
#include "policy/policy.h"

namespace baomi::auth {

struct Runtime {
  barrier::SealedStore store;  // the one way to storage: jobs over barrier transactions
  const barrier::Barrier& barrier;
  const policy::Policy& policy;
  const audit::AuditLog& audit;
  std::function<TimePoint()> clock = now_utc;
  // Argon2id cost for new password hashes; tests lower it, production never does.
  crypto::PwhashCost password_cost = crypto::PwhashCost::kInteractive;
  // This server process among those sharing the store (barrier/work_holds.h): serve keeps its
  // liveness lease; work it holds is never cleared by another process while that lease runs.
  std::string node = crypto::random_id();

  TimePoint now() const { return clock(); }
};

}  // namespace baomi::auth
