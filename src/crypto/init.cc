#include "crypto/init.h"

#include <sodium.h>

#include <stdexcept>

namespace baomi::crypto {

void init() {
  // sodium_init is idempotent and thread-safe: 0 = done now, 1 = already done, -1 = failure.
  if (sodium_init() < 0) throw std::runtime_error("libsodium initialisation failed");
}

namespace detail {

void ensure_init() {
  // A function-local static gives a once-only, thread-safe call without a lock afterwards.
  static const bool initialised = (init(), true);
  (void)initialised;
}

}  // namespace detail
}  // namespace baomi::crypto
