// Guard: turns a policy decision into a Result. Every refusal is audited before it is returned
// (S9: denied attempts are recorded), and it is shaped as the policy says: 404 where existence
// must not leak, 403 with the code and rule otherwise.
#pragma once

#include "auth/runtime.h"

namespace baomi::auth {

Error error_of(const policy::Decision& decision);

// Allowed: ok (the caller appends its own "allow" entry with its effect).
// Denied: appends a "deny" entry for (actor, action, target) and returns the error.
Result<void> enforce(const Runtime& rt, const policy::Decision& decision, const std::string& actor,
                     std::string_view action, const std::string& target);

}  // namespace baomi::auth
