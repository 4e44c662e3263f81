// Every test binary sets BAOMI_TEST_PASSWORD_COST=minimum before main, so each `baomi` it starts
// (init, serve, the CLI) hashes new passwords at libsodium's minimum Argon2id cost
// (src/cmd/test_hooks.h): at the interactive cost Argon2id took two thirds of the suite's CPU.
// A test that needs the production cost unsets it for its children; an outer value is kept.
#include <cstdlib>

namespace {

const bool kPasswordCostSet = [] {
  ::setenv("BAOMI_TEST_PASSWORD_COST", "minimum", 0);
  return true;
}();

}  // namespace
