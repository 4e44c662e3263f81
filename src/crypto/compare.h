// Comparison of secret-derived values (token hashes, MACs) in time independent of where they
// differ. Lengths are not secret. Stateless; safe from any thread.
#pragma once

#include <string_view>

#include "crypto/types.h"

namespace baomi::crypto {

bool constant_time_equal(BytesView a, BytesView b);
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace baomi::crypto
