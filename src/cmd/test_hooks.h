// Hooks the test suite drives through the environment. They exist only in a build configured
// with BAOMI_TEST_HOOKS (on by default when the tests are built, off for the demo, the
// benchmarks and any build with BAOMI_TESTS=OFF); without it every function below ignores the
// environment and behaves as production must.
#pragma once

#include <string_view>

#include "crypto/password.h"

namespace baomi::cmd::test_hooks {

// Whether this binary was built with the hooks (serve says so at start-up: such a build is for
// tests, never for production).
bool compiled_in();

// Argon2id cost for new password hashes. With the hooks and BAOMI_TEST_PASSWORD_COST=minimum,
// libsodium's minimum: the integration suites start thousands of instances and log in tens of
// thousands of times, and at the interactive cost Argon2id took two thirds of all the CPU the
// test suite used (perf, 2026-12-07). Otherwise the interactive cost. Verification always
// follows the parameters stored in the hash itself.
crypto::PwhashCost password_cost();

// BAOMI_TEST_CRASH_AT=<point> kills this process with SIGKILL at that point, exactly as `kill -9`
// from outside would (it can do nothing else: skip no check, change no byte), so the crash tests
// hit each step deterministically.
void crash_point(std::string_view point);

}  // namespace baomi::cmd::test_hooks
