#!/usr/bin/env bash
# Where an encrypted upload's and download's server CPU goes (issue 14): a fresh instance, one
# reader with one document (as bench/run.sh makes them), then ROUNDS uploads of MIB MiB
# (`curl -T`, PUT /api/v1/documents/{id}/content) and as many downloads while `perf record`
# samples `baomi serve`. Prints MB/s, server CPU seconds per 100 MiB (user+system ticks of the
# server: robust to a loaded machine, unlike MB/s), and the top frames (self), by object and by
# symbol, for the upload and the download separately.
#
# Usage: bench/upload_profile.sh [--binary PATH] [--mib N] [--rounds N] [--no-perf] [--out DIR]
#   --binary   the baomi executable (default $BAOMI_BENCH_BUILD/baomi, build/bench/baomi)
#   --out DIR  keep perf.data and the reports there (default: a scratch dir, removed)
# Everything runs on 127.0.0.1 only; every wait is bounded.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
baomi="${BAOMI_BENCH_BUILD:-$root/build/bench}/baomi"
mib=100 rounds=3 use_perf=1 out=""
while (($#)); do
  case "$1" in
    --binary) baomi=${2:?}; shift ;;
    --mib) mib=${2:?}; shift ;;
    --rounds) rounds=${2:?}; shift ;;
    --no-perf) use_perf=0 ;;
    --out) out=${2:?}; shift ;;
    -h | --help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "upload profile: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
[[ -x "$baomi" ]] || { echo "upload profile: $baomi is missing" >&2; exit 1; }
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
log() { echo "upload profile: $*" >&2; }
die() { log "FAILED: $*"; exit 1; }

scratch_dir upload-profile
[[ -n "$out" ]] || out="$tmp/out"
mkdir -p "$out"
init_instance
start_server
bench_reader
bench_document secret
url="$api/api/v1/documents/$doc_id/content"
head -c $((mib << 20)) /dev/urandom >"$tmp/big.bin"

transfer() {  # transfer up|down: one transfer; prints its seconds
  local res
  if [[ $1 == up ]]; then
    res=$(curl -sk --max-time 900 -X PUT -T "$tmp/big.bin" -H "Authorization: Bearer $token" \
      -H 'Content-Type: application/octet-stream' -o "$tmp/upload.json" -w '%{http_code} %{time_total}' "$url")
  else
    res=$(curl -sk --max-time 900 -o /dev/null -H "Authorization: Bearer $token" \
      -w '%{http_code} %{time_total}' "$url")
  fi
  [[ ${res%% *} == 200 ]] || die "$1: HTTP ${res%% *}"
  echo "${res#* }"
}

# phase up|down: ROUNDS transfers, sampled by perf when asked; prints the figures and frames.
phase() {
  local perf_pid="" t0 t1 secs=0 s i
  if ((use_perf)); then
    perf record --no-buildid -e cpu-clock -F 999 -g -p "$server_pid" -o "$out/perf-$1.data" \
      >"$out/perf-$1.log" 2>&1 &
    perf_pid=$!
    sleep 0.5
  fi
  t0=$(cpu_ticks "$server_pid")
  for ((i = 0; i < rounds; i++)); do
    s=$(transfer "$1")
    secs=$(python3 -c "print($secs + $s)")
  done
  t1=$(cpu_ticks "$server_pid")
  if [[ -n "$perf_pid" ]]; then kill -INT "$perf_pid"; wait "$perf_pid" || true; fi
  python3 -c "
mib, rounds, secs, ticks, hz = $mib, $rounds, $secs, $t1 - $t0, $hz
print(f'$1load: {mib * rounds * 1.048576 / secs:.0f} MB/s, server CPU {ticks / hz * 100 / (mib * rounds):.2f} s per 100 MiB ({rounds} x {mib} MiB)')"
  ((use_perf)) || return 0
  echo "--- $1load: server CPU by object (perf, self)"
  perf report -i "$out/perf-$1.data" --no-children --sort dso --stdio -g none 2>/dev/null |
    grep -E '^ +[0-9]' | head -8 || true
  echo "--- $1load: top symbols (perf, self)"
  perf report -i "$out/perf-$1.data" --no-children --sort dso,symbol --percent-limit 1.5 --stdio \
    -g none 2>/dev/null | grep -E '^ +[0-9]' | sed -E 's/ +- +- *$//; s/ +$//' | head -25 || true
}

transfer up >/dev/null  # warm-up: the first upload creates the version row and file pages
echo "binary: $baomi"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
phase up
phase down
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
