#!/usr/bin/env bash
# The cost of the watches (issue 11) on an audited small read: authorised metadata reads
# (GET /api/v1/documents/{id}, each with a durable audit entry) against one server with the
# read watches off and then on, interleaved (off, on, off, on) so both see the same machine.
# "on" is every read-watch kind counting: bulk_read (50 documents within 1h),
# first_category (enabled, from the first read: the document is loaded for its categories) and
# request_volume; off_hours stays off because it would raise an alert on every read. The reader
# reads 50 documents in turn, so its count record is at its largest (N entries) without crossing.
# Figures: server CPU milliseconds per read (user+system ticks of `baomi serve` / reads wrk
# completed) and reads per second; the overhead is on/off - 1 of CPU per read.
#
# Usage: bench/watch.sh [--seconds N] [--rounds N]
# Environment: BAOMI_BENCH_BUILD  build directory holding `baomi` (default build/bench; run
#              bench/run.sh once, or point it at any build, e.g. build/test)
# Everything runs on 127.0.0.1 only; every wait is bounded.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build="${BAOMI_BENCH_BUILD:-$root/build/bench}"
seconds=10
rounds=2
while (($#)); do
  case "$1" in
    --seconds) seconds=${2:?}; shift ;;
    --rounds) rounds=${2:?}; shift ;;
    -h | --help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "watch bench: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
baomi="$build/baomi"
[[ -x "$baomi" ]] || { echo "watch bench: $baomi is missing" >&2; exit 1; }
command -v wrk >/dev/null || { echo "watch bench: wrk is missing (scripts/install-deps.sh)" >&2; exit 1; }
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
log() { echo "watch bench: $*" >&2; }
die() { log "FAILED: $*"; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/baomi-watch-bench.XXXXXX")
server_pid=""
trap 'stop_server; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

umask 077
init_instance
# The two policies: the instance's own with its watch section replaced.
policy_with() {  # policy_with FILE WATCH_YAML
  { sed '/^watch:/,$d' "$tmp/data/policy.yaml"; printf '%s\n' "$2"; } >"$1"
}
policy_with "$tmp/watch-off.yaml" "watch:
  probing: {refusals: 20, window: 10m}
  bulk_read: {documents: 0, window: 1h}
  first_category: {enabled: false, after_reads: 20}
  off_hours: {shifts: []}
  request_volume: {per_day: 0}"
policy_with "$tmp/watch-on.yaml" "watch:
  probing: {refusals: 20, window: 10m}
  bulk_read: {documents: 50, window: 1h}
  first_category: {enabled: true, after_reads: 0}
  off_hours: {shifts: []}
  request_volume: {per_day: 20}"


# A reader with every category and 50 documents (as in bench/run.sh).
start_server --policy "$tmp/watch-off.yaml"
bench_reader
: >"$tmp/ids.txt"
for ((d = 0; d < 50; d++)); do
  curl_api POST /api/v1/documents "$token" \
    "{\"title\":\"benchmark document $d\",\"level\":\"secret\",\"categories\":[\"finance\"],\"custodian_id\":\"$user_id\",\"secret_until\":\"2030-12-31T00:00:00Z\"}" \
    >"$tmp/doc.json"
  json_get "$tmp/doc.json" id >>"$tmp/ids.txt"
done
stop_server
cat >"$tmp/rotate.lua" <<LUA
local ids = {}
for line in io.lines("$tmp/ids.txt") do ids[#ids + 1] = line end
local n = 0
request = function()
  n = n % #ids + 1
  return wrk.format("GET", "/api/v1/documents/" .. ids[n])
end
LUA

# run MODE: one wrk run against a fresh server with that policy; prints "reads cpu_ms".
run() {
  start_server --policy "$tmp/watch-$1.yaml"
  token=$(login bench.reader "$user_pw")
  # Warm-up: every document once (fills the read count) before measuring.
  wrk -t1 -c1 -d2s -s "$tmp/rotate.lua" -H "Authorization: Bearer $token" "$api" >/dev/null 2>&1 || true
  local t0 t1 reads
  t0=$(cpu_ticks "$server_pid")
  timeout $((seconds + 60)) wrk -t2 -c16 "-d${seconds}s" --timeout 10s -s "$tmp/rotate.lua" \
    -H "Authorization: Bearer $token" "$api" >"$tmp/wrk-$1.txt" 2>&1 || die "wrk: $(tail -3 "$tmp/wrk-$1.txt")"
  t1=$(cpu_ticks "$server_pid")
  stop_server
  grep -q "Non-2xx" "$tmp/wrk-$1.txt" && die "non-2xx answers: $(cat "$tmp/wrk-$1.txt")"
  reads=$(sed -nE 's/^ *([0-9]+) requests in.*/\1/p' "$tmp/wrk-$1.txt")
  echo "$reads $(((t1 - t0) * 1000 / hz))"
}

log "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A reads=([off]=0 [on]=0) cpu=([off]=0 [on]=0)
for ((r = 1; r <= rounds; r++)); do
  for mode in off on; do
    read -r n ms <<<"$(run "$mode")"
    log "round $r, watch $mode: $n reads, ${ms} ms server CPU ($(python3 -c "print(f'{$ms/$n:.3f}')") ms/read)"
    reads[$mode]=$((reads[$mode] + n))
    cpu[$mode]=$((cpu[$mode] + ms))
  done
done
log "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "${reads[off]}" "${cpu[off]}" "${reads[on]}" "${cpu[on]}" "$seconds" "$rounds" <<'PY'
import sys
roff, coff, ron, con, secs, rounds = map(int, sys.argv[1:])
per_off, per_on = coff / roff, con / ron
print(f"| watch | reads | reads/s | server CPU ms/read |")
print(f"|---|---|---|---|")
print(f"| off | {roff} | {roff / (secs * rounds):.0f} | {per_off:.3f} |")
print(f"| on  | {ron} | {ron / (secs * rounds):.0f} | {per_on:.3f} |")
print(f"\noverhead of the watches: {100 * (per_on / per_off - 1):+.1f}% server CPU per read")
PY
