// Demo customer records (fake names and numbers) with a contact log entry each, created
// through services::Customers like the API does, so the audit trail records them (C1 to C5).
#pragma once

#include <map>
#include <string>

#include "auth/user.h"

namespace baomi::cmd {

inline constexpr int kDemoCustomers = 4;

// `users` by username: the demo organisation (wang.fang and li.na record the customers).
Result<void> load_demo_customers(const auth::Runtime& rt,
                                 const std::map<std::string, auth::User>& users);

}  // namespace baomi::cmd
