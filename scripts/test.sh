#!/usr/bin/env bash
# One command for every test: install dependencies, build, run unit and integration tests,
# run every fuzz target for a bounded time (libFuzzer), then build and run the whole suite again
# under AddressSanitizer + UndefinedBehaviorSanitizer.
#   scripts/test.sh            everything
#   BAOMI_SKIP_SANITIZE=1 scripts/test.sh   skip the sanitizer pass (local iteration only)
#   BAOMI_SKIP_FUZZ=1 scripts/test.sh        skip the bounded libFuzzer run (local iteration only)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc)
# Tests mostly wait (fsync, real servers starting and answering, child processes): at -j nproc
# the suite used about 40% of the CPU on two cores (654 s wall, 525 s CPU, 2026-12-06), so ctest
# runs twice as many at once. No test asserts on time, and each has a generous timeout.
test_jobs=$((jobs * 2))
TIMEFORMAT='   took %0R s wall, %0U s user, %0S s sys'

"$root/scripts/install-deps.sh"

echo "== build (RelWithDebInfo) and test"
# -g1 (line tables only, enough for backtraces) instead of -g: the same machine code, built about
# a quarter faster. Debug builds and the sanitizer pass keep full -g.
# The benchmarks are built too (not run): they use internal interfaces, and a benchmark that no
# longer compiles was twice found only when someone came to measure.
# Both builds are unity builds (BAOMI_UNITY, CMakeLists.txt): on two cores they were most of
# CI's time. The same sources, compiled in batches of 8.
time "$root/scripts/build.sh" "$root/build/test" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBAOMI_BENCH=ON \
  -DBAOMI_UNITY=ON -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG"
# Everything, the integration suite on both engines (SQLite, and PostgreSQL: the `pg.` tests).
time (cd "$root/build/test" && ctest --output-on-failure -j "$test_jobs" --timeout 600)

if [[ "${BAOMI_SKIP_FUZZ:-0}" != 1 ]]; then
  echo "== fuzz every outside-input parser (libFuzzer, ASan+UBSan, ${BAOMI_FUZZ_SECONDS:-25} s per target)"
  time "$root/scripts/fuzz.sh" --seconds "${BAOMI_FUZZ_SECONDS:-25}"
fi

if [[ "${BAOMI_SKIP_SANITIZE:-0}" != 1 ]]; then
  echo "== build with ASan + UBSan and test"
  # -g1 (line tables) is all the sanitizers' stack traces need; full -g costs build time only.
  # -O1, as the sanitizers' own documentation advises: the suite under ASan+UBSan took 776 s
  # at -O0 and 209 s at -O1 (2 cores, 2026-12-07; 1,144 tests, all passed both ways), for
  # about a third more compile time.
  time "$root/scripts/build.sh" "$root/build/asan" -DCMAKE_BUILD_TYPE=Debug -DBAOMI_SANITIZE=ON -DBAOMI_BENCH=OFF \
    -DBAOMI_UNITY=ON -DCMAKE_CXX_FLAGS_DEBUG="-g1 -O1"
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  export LSAN_OPTIONS=suppressions=$root/tests/lsan.supp:print_suppressions=0
  # The console's browser test (label `browser`) ran in the pass above; under ASan it would
  # only test Chromium's patience, not the server's memory safety that the other tests cover.
  # The integration suite on PostgreSQL (label `postgres`, the `pg.` tests) ran in the pass
  # above too. Under ASan it would run the same server code a second time, differing only in
  # src/storage/postgres/, which the storage and cmd unit tests (conformance cases on both
  # engines) still run here; it would add about as much time as the SQLite integration pass
  # under ASan, which the 45-minute budget of CI on two cores does not have.
  time (cd "$root/build/asan" && BAOMI_TEST_SCALE=small ctest --output-on-failure -j "$test_jobs" --timeout 900 -LE 'browser|postgres')
fi
echo "== all tests passed"
