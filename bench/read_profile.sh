#!/usr/bin/env bash
# Where an authorised small read's server CPU goes (issue 14): a fresh instance, one reader with
# one document (as bench/run.sh makes them), then `wrk -t2 -c64` on GET /api/v1/documents/{id}
# (policy decision + a durable audit entry per request) while `perf record` samples `baomi
# serve`. Prints reads/s, p99, server CPU µs per read (user+system ticks of the server / reads:
# robust to a loaded machine, unlike reads/s), and the top frames (self and children).
#
# With --callgrind, the server is then restarted under valgrind's callgrind and a short wrk run
# (-c8) is measured with collection on only meanwhile: instructions per read and the functions
# they go to, inclusive, which neither the machine's load nor perf's symbol reader can blur.
#
# Usage: bench/read_profile.sh [--binary PATH] [--seconds N] [--no-perf] [--watch] [--callgrind]
#                              [--out DIR]
#   --binary   the baomi executable (default $BAOMI_BENCH_BUILD/baomi, build/bench/baomi)
#   --watch    turn every read watch on, as bench/watch.sh's "on" (bulk_read, first_category,
#              request_volume); default: the instance's policy as `baomi init` writes it
#   --no-perf  only the figures, no profile
#   --out DIR  keep perf.data and the reports there (default: a scratch dir, removed)
# Everything runs on 127.0.0.1 only; every wait is bounded.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
baomi="${BAOMI_BENCH_BUILD:-$root/build/bench}/baomi"
seconds=10
use_perf=1
watch=0
callgrind=0
out=""
while (($#)); do
  case "$1" in
    --binary) baomi=${2:?}; shift ;;
    --seconds) seconds=${2:?}; shift ;;
    --no-perf) use_perf=0 ;;
    --watch) watch=1 ;;
    --callgrind) callgrind=1 ;;
    --out) out=${2:?}; shift ;;
    -h | --help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "read profile: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
[[ -x "$baomi" ]] || { echo "read profile: $baomi is missing" >&2; exit 1; }
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
log() { echo "read profile: $*" >&2; }
die() { log "FAILED: $*"; exit 1; }

scratch_dir read-profile
[[ -n "$out" ]] || out="$tmp/out"
mkdir -p "$out"
init_instance
policy=()
if ((watch)); then
  { sed '/^watch:/,$d' "$tmp/data/policy.yaml"
    printf '%s\n' "watch:" "  probing: {refusals: 20, window: 10m}" \
      "  bulk_read: {documents: 50, window: 1h}" "  first_category: {enabled: true, after_reads: 0}" \
      "  off_hours: {shifts: []}" "  request_volume: {per_day: 20}"
  } >"$tmp/watch.yaml"
  policy=(--policy "$tmp/watch.yaml")
fi
start_server "${policy[@]}"
bench_reader
bench_document top_secret
url="$api/api/v1/documents/$doc_id"
wrk -t1 -c4 -d2s -H "Authorization: Bearer $token" "$url" >/dev/null 2>&1 || true  # warm-up

perf_pid=""
stat_pid=""
# What each read costs the kernel, counted rather than sampled: context switches (every hand-off
# between threads that sleeps) and system calls, whole process, divided by the reads.
perf stat -e context-switches,raw_syscalls:sys_enter,syscalls:sys_enter_futex -p "$server_pid" \
  -o "$out/counts.txt" -- sleep "$((seconds + 1))" >/dev/null 2>&1 &
stat_pid=$!
if ((use_perf)); then
  perf record --no-buildid -e cpu-clock -F 999 --call-graph dwarf,16384 -p "$server_pid" -o "$out/perf.data" \
    -- sleep "$((seconds + 1))" >"$out/perf.log" 2>&1 &
  perf_pid=$!
  sleep 0.5
fi
t0=$(cpu_ticks "$server_pid")
timeout $((seconds + 60)) wrk -t2 -c64 "-d${seconds}s" --latency --timeout 10s \
  -H "Authorization: Bearer $token" "$url" >"$out/wrk.txt" 2>&1 || die "wrk: $(tail -3 "$out/wrk.txt")"
t1=$(cpu_ticks "$server_pid")
[[ -z "$perf_pid" ]] || wait "$perf_pid" || true
wait "$stat_pid" || true
grep -q "Non-2xx" "$out/wrk.txt" && die "non-2xx answers: $(cat "$out/wrk.txt")"
reads=$(sed -nE 's/^ *([0-9]+) requests in.*/\1/p' "$out/wrk.txt")
rate=$(sed -nE 's/^Requests\/sec: *([0-9.]+).*/\1/p' "$out/wrk.txt")
p99=$(sed -nE 's/^ *99% +([0-9.]+[a-z]+).*/\1/p' "$out/wrk.txt")
cpu_us=$(python3 -c "print(round(($t1 - $t0) * 1e6 / $hz / $reads))")
echo "binary: $baomi"
echo "reads: $reads in ${seconds}s, ${rate} reads/s, p99 $p99, server CPU ${cpu_us} µs per read"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
per_read() { awk -v e="$1" -v n="$reads" '$2 == e { gsub(",", "", $1); printf "%.1f", $1 / n }' "$out/counts.txt"; }
if [[ -s "$out/counts.txt" ]]; then
  echo "per read (perf stat, whole server, ${seconds}s + 1 s idle): $(per_read context-switches) context switches," \
    "$(per_read raw_syscalls:sys_enter) system calls, of them $(per_read syscalls:sys_enter_futex) futex"
fi
curl -sk --max-time 10 "$api/metrics" >"$out/metrics.txt" || true
stop_server
if ((use_perf)); then
  perf report -i "$out/perf.data" --no-children --sort dso --stdio -g none 2>/dev/null |
    grep -E '^ +[0-9]' >"$out/dso.txt" || true
  perf report -i "$out/perf.data" --no-children --sort dso,symbol --percent-limit 1 --stdio \
    -g none 2>/dev/null | grep -E '^ +[0-9]' >"$out/self.txt" || true
  echo "--- server CPU by object (perf)"
  cat "$out/dso.txt"
  echo "--- top frames, self (perf; symbols of the baomi binary itself: see --callgrind)"
  head -25 "$out/self.txt"
fi
((callgrind)) || exit 0

# ---- the same reads under callgrind: instructions, not time ----
valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$out/callgrind.out" \
  "$baomi" serve --data "$tmp/data" --keys "$tmp/keys" --listen 127.0.0.1:0 "${policy[@]}" \
  >"$tmp/serve.out" 2>"$tmp/serve.err" &
server_pid=$!
for ((i = 0; i < 600; i++)); do  # valgrind starts slowly: at most 120 s
  port=$(sed -nE 's#^baomi: serving https://127\.0\.0\.1:([0-9]+)/.*#\1#p' "$tmp/serve.out")
  [[ -n "$port" ]] && break
  kill -0 "$server_pid" 2>/dev/null || die "baomi serve exited under valgrind"
  sleep 0.2
done
[[ -n "$port" ]] || die "baomi serve under valgrind did not report its port"
url="https://127.0.0.1:$port/api/v1/documents/$doc_id"
wrk -t1 -c4 -d5s --timeout 30s -H "Authorization: Bearer $token" "$url" >/dev/null 2>&1 || true
callgrind_control -i on "$server_pid" >/dev/null
wrk -t1 -c8 "-d${seconds}s" --timeout 30s -H "Authorization: Bearer $token" "$url" \
  >"$out/wrk-callgrind.txt" 2>&1 || die "wrk under callgrind failed"
callgrind_control -i off "$server_pid" >/dev/null
stop_server
grep -q "Non-2xx" "$out/wrk-callgrind.txt" && die "non-2xx answers under callgrind"
cg_reads=$(sed -nE 's/^ *([0-9]+) requests in.*/\1/p' "$out/wrk-callgrind.txt")
callgrind_annotate --inclusive=yes --auto=no --threshold=100 "$out/callgrind.out"* \
  >"$out/inclusive.txt" 2>/dev/null
echo "--- callgrind (instructions per read, inclusive):"
python3 "$root/bench/callgrind_summary.py" "$out/inclusive.txt" "$cg_reads"
