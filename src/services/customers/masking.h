// C3: the masked form of each customer field, as every view shows it unless the field was
// unmasked. Works on code points, never bytes, so "张三" masks to "张*". The full table is in
// docs/customers.md. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "policy/model.h"

namespace baomi::services::customers {

// `stored` is the field's normalised value (normalise.h).
std::string mask_field(policy::CustomerField field, std::string_view stored);

}  // namespace baomi::services::customers
