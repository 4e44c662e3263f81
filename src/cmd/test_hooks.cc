#include "cmd/test_hooks.h"

#include <csignal>
#include <cstdlib>
#include <string>

namespace baomi::cmd::test_hooks {

#ifdef BAOMI_TEST_HOOKS

bool compiled_in() { return true; }

crypto::PwhashCost password_cost() {
  const char* cost = std::getenv("BAOMI_TEST_PASSWORD_COST");
  if (cost != nullptr && std::string_view(cost) == "minimum") return crypto::PwhashCost::kMinimum;
  return crypto::PwhashCost::kInteractive;
}

void crash_point(std::string_view point) {
  const char* at = std::getenv("BAOMI_TEST_CRASH_AT");
  if (at != nullptr && std::string_view(at) == point) ::raise(SIGKILL);
}

#else

bool compiled_in() { return false; }

crypto::PwhashCost password_cost() { return crypto::PwhashCost::kInteractive; }

void crash_point(std::string_view) {}

#endif

}  // namespace baomi::cmd::test_hooks
