#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan+UBSan, fuzz/) and runs each one for a bounded time
# on a copy of its seed corpus (fuzz/corpus/<target>), in parallel, then prints executions per
# target and in total. Any crash, leak, timeout (10 s per input, 30 s for a PDF) or out-of-memory fails the run;
# the input is kept under build/fuzz/findings/<target>/ to turn into a unit test.
#   scripts/fuzz.sh                      every target, 25 s each (what scripts/test.sh runs)
#   scripts/fuzz.sh --seconds 3600       a long campaign: an hour per target
#   scripts/fuzz.sh --seconds 60 fuzz_csv fuzz_url    some targets only
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=25
jobs=$(nproc)
targets=()
while (($#)); do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done
build=$root/build/fuzz
if ((${#targets[@]} == 0)); then
  targets=($(grep -oE '^  fuzz_[a-z_]+ ' "$root/fuzz/CMakeLists.txt"))
fi

# A unity build, as scripts/test.sh makes (CMakeLists.txt: BAOMI_UNITY).
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" -DBAOMI_FUZZ=ON -DBAOMI_TESTS=OFF \
  -DBAOMI_BENCH=OFF -DBAOMI_PCH=OFF -DBAOMI_UNITY=ON >/dev/null
cmake --build "$build" -j "$jobs" --target "${targets[@]}"

dict_of() {
  case $1 in
    fuzz_http_head|fuzz_url) echo "-dict=$root/fuzz/dict/http.dict" ;;
    fuzz_json_input) echo "-dict=$root/fuzz/dict/json.dict" ;;
    fuzz_policy_yaml) echo "-dict=$root/fuzz/dict/yaml.dict" ;;
  esac
}

# Seconds one input may take before it counts as a hang. A stamped PDF is drawn with cairo and
# a CJK font under ASan: about 0.4 s of CPU, but several seconds of waiting on a loaded machine.
timeout_of() {
  case $1 in
    fuzz_pdf_stamp) echo 30 ;;
    *) echo 10 ;;
  esac
}

run_one() {
  local t=$1 work=$build/corpus/$1 findings=$build/findings/$1
  mkdir -p "$work" "$findings"
  cp -n "$root/fuzz/corpus/$t/"* "$work/" 2>/dev/null || true
  # cairo keeps ~2 KB per process in caches it never frees (tests/lsan.supp says where).
  LSAN_OPTIONS=suppressions=$root/tests/lsan.supp:print_suppressions=0 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$build/fuzz/$t" $(dict_of "$t") -max_total_time="$seconds" -timeout="$(timeout_of "$t")" -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1 -artifact_prefix="$findings/" "$work" \
    >"$build/$t.log" 2>&1
}

mkdir -p "$build"
pids=() names=() failed=()
for t in "${targets[@]}"; do
  while (($(jobs -rp | wc -l) >= jobs)); do wait -n || true; done
  run_one "$t" &
  pids+=($!) names+=("$t")
done
status=0
for i in "${!pids[@]}"; do
  if ! wait "${pids[$i]}"; then failed+=("${names[$i]}"); status=1; fi
done

total=0
printf '%-26s %14s %10s %8s  %s\n' target executions exec/s corpus result
for t in "${targets[@]}"; do
  log=$build/$t.log
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  corpus=$(ls "$build/corpus/$t" | wc -l)
  result=ok
  [[ " ${failed[*]} " == *" $t "* ]] && result="FAILED (see $log and $build/findings/$t/)"
  total=$((total + ${execs:-0}))
  printf '%-26s %14s %10s %8s  %s\n' "$t" "${execs:-0}" "${rate:-0}" "$corpus" "$result"
done
printf '%-26s %14s\n' total "$total"
if ((status != 0)); then
  for t in "${failed[@]}"; do echo "== $t"; grep -E 'ERROR|property failed|SUMMARY|Test unit written' "$build/$t.log" | head -20; done
fi
exit $status
