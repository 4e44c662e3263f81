#include "crypto/compare.h"

#include <sodium.h>

namespace baomi::crypto {

bool constant_time_equal(BytesView a, BytesView b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  return constant_time_equal(bytes_of(a), bytes_of(b));
}

}  // namespace baomi::crypto
