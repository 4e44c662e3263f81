#!/usr/bin/env bash
# Baomi's benchmark harness (DESIGN.md "Performance targets"): one run, side by side on this
# machine, measures
#   - raw crypto (Google Benchmark micro-benchmarks: AES-256-GCM chunks, XChaCha20-Poly1305,
#     BLAKE2b, Ed25519, policy decide(), audit chain verification),
#   - an encrypted 100 MiB upload and download through the HTTPS API (curl),
#   - nginx serving the same 100 MiB file over TLS 1.3 with the same certificate (curl),
#   - authorised small metadata reads (each with a durable audit entry) against nginx serving
#     the same bytes as a static file (wrk -t2 -c64, p99 from --latency),
#   - peak RSS of `baomi serve` while a 1 GiB upload and a 1 GiB download stream through it,
#   - `baomi audit verify` over the trail the run produced,
# prints a table (figure, value, target/peer, ratio) and writes it to docs/benchmarks.md.
#
# Usage: bench/run.sh [--quick] [--no-build] [--out FILE]
#   --quick     smaller files, fewer repetitions, shorter wrk runs: a smoke test whose figures
#               are written to BUILD/bench-results/benchmarks-quick.md, not to docs/
#   --no-build  use the existing build in BUILD as it is
#   --out FILE  write the markdown report to FILE
#   --customers only the customer search benchmark: N records (1,000,000; --quick 100,000)
#               inserted in bulk, then 2,000 searches by phone through the service layer;
#               prints p50/p99 and writes nothing to docs/
# Environment: BAOMI_BENCH_BUILD  build directory (default build/bench, Release)
#              BAOMI_BENCH_CMAKE_ARGS  extra cmake arguments for that build
# Everything runs on 127.0.0.1 only; every wait and every load run is bounded in time.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bench_dir="$root/bench"
build="${BAOMI_BENCH_BUILD:-$root/build/bench}"
quick=0
do_build=1
customers=0
out=""
while (($#)); do
  case "$1" in
    --quick) quick=1 ;;
    --no-build) do_build=0 ;;
    --customers) customers=1 ;;
    --out) out=${2:?--out needs a file}; shift ;;
    -h | --help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "bench: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

if ((quick)); then
  mib=20 big_mib=256 customer_records=20000 reps=1 wrk_seconds=3 micro_args=(--benchmark_min_time=0.05 --benchmark_repetitions=2)
else
  mib=100 big_mib=1024 customer_records=1000000 reps=3 wrk_seconds=10 micro_args=(--benchmark_min_time=0.3 --benchmark_repetitions=5)
fi
results_dir="$build/bench-results"
if [[ -z "$out" ]]; then
  if ((quick)); then out="$results_dir/benchmarks-quick.md"; else out="$root/docs/benchmarks.md"; fi
fi

log() { echo "bench: $*" >&2; }
die() { log "FAILED: $*"; exit 1; }

# ---- customer search only (C3 blind-index lookups over a million records) ----
if ((customers)); then
  if ((do_build)); then
    log "building Release in $build"
    # shellcheck disable=SC2086
    "$root/scripts/build.sh" "$build" -DCMAKE_BUILD_TYPE=Release -DBAOMI_TESTS=OFF -DBAOMI_BENCH=ON \
      ${BAOMI_BENCH_CMAKE_ARGS:-} >&2
  fi
  bin="$build/bench/baomi_customer_bench"
  [[ -x "$bin" ]] || die "$bin is missing (build failed?)"
  records=1000000
  ((quick)) && records=100000
  exec "$bin" --records "$records" --searches 2000
fi

# ---- dependencies and build ----
if ! command -v nginx >/dev/null || ! command -v wrk >/dev/null; then
  BAOMI_BENCH_DEPS=1 "$root/scripts/install-deps.sh" >&2
fi
if ((do_build)); then
  log "building Release in $build"
  # shellcheck disable=SC2086  # extra args are word-split on purpose
  "$root/scripts/build.sh" "$build" -DCMAKE_BUILD_TYPE=Release -DBAOMI_TESTS=OFF -DBAOMI_BENCH=ON \
    ${BAOMI_BENCH_CMAKE_ARGS:-} >&2
fi
baomi="$build/baomi"
microbench="$build/bench/baomi_microbench"
[[ -x "$baomi" ]] || die "$baomi is missing (build failed?)"
[[ -x "$microbench" ]] || die "$microbench is missing (is libbenchmark-dev installed?)"

# ---- scratch space and cleanup ----
mkdir -p "$results_dir"
rm -f "$results_dir"/*.txt "$results_dir"/*.json
tmp=$(mktemp -d "${TMPDIR:-/tmp}/baomi-bench.XXXXXX")
chmod 711 "$tmp"  # nginx workers (nobody) must reach www/; data/ and keys/ stay 0700
server_pid="" nginx_pid="" sampler_pid=""
stop_pid() {  # stop_pid PID SIGNAL: signal, then wait at most 20 s before SIGKILL
  local pid=$1 sig=$2 i
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill "-$sig" "$pid" 2>/dev/null || true
  for ((i = 0; i < 200; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
  stop_pid "$sampler_pid" TERM
  stop_pid "$server_pid" TERM
  stop_pid "$nginx_pid" QUIT
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

results="$results_dir/results.txt"
: >"$results"
put() { echo "$1 $2" >>"$results"; }  # one "key value" line per figure, read by report.py
put mode "$([[ $quick == 1 ]] && echo quick || echo full)"
put date "$(date -u "+%Y-%m-%d %H:%M UTC") (measurements began)"
put load_before "$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' '/')"
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
server_pids() {  # the processes that serve for NAME (baomi: one; nginx: master and workers)
  if [[ $1 == baomi ]]; then echo "$server_pid"; else echo "$nginx_pid" $(pgrep -P "$nginx_pid"); fi
}
# measured NAME SERVER COMMAND...: runs COMMAND (its stdout is the figure for NAME) and
# records the serving processes' CPU seconds meanwhile as NAME_cpu.
measured() {
  local name=$1 pids t0 t1 value
  read -ra pids <<<"$(server_pids "$2")"
  shift 2
  rm -f "$tmp/client_times"
  t0=$(cpu_ticks "${pids[@]}")
  value=$("$@")
  t1=$(cpu_ticks "${pids[@]}")
  put "$name" "$value"
  put "${name}_cpu" "$(((t1 - t0) * 1000 / hz))e-3"
  if [[ -s "$tmp/client_times" ]]; then
    put "${name}_client_cpu" "$(awk '{printf "%.3f", $1 + $2}' "$tmp/client_times")"
  fi
}
# client_timed COMMAND...: runs the client COMMAND (curl, wrk) as it is and leaves its user +
# system CPU seconds (its children's included) in $tmp/client_times for `measured`: the client
# shares the machine's cores with the server, so its CPU is part of what bounds a figure.
client_timed() {
  { TIMEFORMAT='%3U %3S'; time "$@" 2>&3; } 3>&2 2>"$tmp/client_times"
}

# ---- a fresh instance and its server ----
log "creating an instance in $tmp"
umask 022
init_instance
# verify_trail NAME: times `baomi audit verify` (wall and CPU seconds of the whole command:
# start-up, key loading and SQLite reads included); NAME_s, NAME_cpu, NAME_line.
verify_trail() {
  local real user sys
  # bash's `time` keyword: wall, user and system seconds of exactly this command.
  { TIMEFORMAT='%3R %3U %3S'
    time "$baomi" audit verify --data "$tmp/data" --keys "$tmp/keys" >"$results_dir/$1.txt" 2>&1; } \
    2>"$tmp/verify_times" || die "audit verify: $(cat "$results_dir/$1.txt")"
  read -r real user sys <"$tmp/verify_times"
  put "$1_s" "$real"
  put "$1_cpu" "$(python3 -c 'import sys; print(float(sys.argv[1]) + float(sys.argv[2]))' "$user" "$sys")"
  put "$1_line" "$(head -1 "$results_dir/$1.txt" | tr ' ' '_')"
}
verify_trail audit_verify_empty  # the fixed cost: a trail of one or two entries
start_server
log "baomi serving on $api (pid $server_pid)"

# The reader (bench_reader, lib.sh) and one document they are custodian of.
bench_reader
bench_document top_secret
log "reader $user_id, document $doc_id"

# ---- the files both servers serve ----
www="$tmp/www"
mkdir -m 755 "$www"
head -c "$((mib * 1024 * 1024))" /dev/urandom >"$www/big.bin"
curl_api GET "/api/v1/documents/$doc_id" "$token" >"$www/small.json"  # the metadata bytes
chmod 644 "$www"/*
put file_mib "$mib"
put small_bytes "$(stat -c %s "$www/small.json")"

# ---- nginx: same certificate, TLS 1.3, its own config in the scratch dir ----
ngx="$tmp/nginx"
mkdir -p "$ngx/tmp"
cp "$tmp/keys/tls.crt" "$tmp/keys/tls.key" "$ngx/"
nginx_port=$(free_port)
sed -e "s#@DIR@#$ngx#g" -e "s#@WWW@#$www#g" -e "s#@PORT@#$nginx_port#g" \
  "$bench_dir/nginx.conf.in" >"$ngx/nginx.conf"
nginx -p "$ngx" -e "$ngx/error.log" -c "$ngx/nginx.conf" -g 'daemon off;' &
nginx_pid=$!
ngx_url="https://127.0.0.1:$nginx_port"
for ((i = 0; i < 100; i++)); do  # at most 10 s
  curl -sk --max-time 2 -o /dev/null "$ngx_url/small.json" && break
  kill -0 "$nginx_pid" 2>/dev/null || { cat "$ngx/error.log" >&2; die "nginx exited"; }
  sleep 0.1
done
cmp -s <(curl -sk --max-time 10 "$ngx_url/small.json") "$www/small.json" ||
  die "nginx does not serve the small file"
log "nginx serving on $ngx_url (pid $nginx_pid)"
tls_of() {
  openssl s_client -connect "127.0.0.1:$1" -brief </dev/null 2>&1 |
    sed -nE 's/^(Protocol version|Ciphersuite): *//p' | paste -sd' '
}
put tls_baomi "$(tls_of "$port" | tr ' ' '_')"
put tls_nginx "$(tls_of "$nginx_port" | tr ' ' '_')"

# ---- 100 MiB through both servers, interleaved so both see the same machine ----
upload() {  # upload FILE -> seconds; checks the server stored every byte
  local file=$1 res
  res=$(client_timed curl -sk --max-time 900 -X PUT -T "$file" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/octet-stream' -o "$tmp/upload.json" \
    -w '%{http_code} %{time_total}' "$api/api/v1/documents/$doc_id/content")
  [[ ${res%% *} == 200 ]] || die "upload returned ${res%% *}: $(cat "$tmp/upload.json")"
  [[ $(json_get "$tmp/upload.json" size) == "$(stat -c %s "$file")" ]] || die "upload size"
  echo "${res#* }"
}
download() {  # download URL SIZE [TOKEN] -> seconds for the whole body of SIZE bytes
  local args=(-sk --max-time 900 -o /dev/null -w '%{http_code} %{time_total} %{size_download}')
  [[ -n "${3:-}" ]] && args+=(-H "Authorization: Bearer $3")
  local res code secs size
  res=$(client_timed curl "${args[@]}" "$1")
  read -r code secs size <<<"$res"
  [[ $code == 200 && $size == "$2" ]] || die "download of $1: $res"
  echo "$secs"
}
log "100 MiB: $reps x (upload, download, nginx download)"
size=$(stat -c %s "$www/big.bin")
for ((r = 1; r <= reps; r++)); do
  measured upload_s baomi upload "$www/big.bin"
  measured download_s baomi download "$api/api/v1/documents/$doc_id/content" "$size" "$token"
  measured nginx_download_s nginx download "$ngx_url/big.bin" "$size"
done
# The timed bytes were the right bytes: what comes back is what went in.
want=$(sha256sum <"$www/big.bin" | cut -d' ' -f1)
got=$(curl -sk --max-time 900 -H "Authorization: Bearer $token" \
  "$api/api/v1/documents/$doc_id/content" | sha256sum | cut -d' ' -f1)
[[ $want == "$got" && $want == "$(json_get "$tmp/upload.json" sha256)" ]] ||
  die "downloaded content differs from the upload"

# ---- peak RSS while 1 GiB streams in and out ----
# VmHWM is reset (clear_refs 5) before each transfer, so it is that transfer's peak; a sampler
# reading VmRSS every 50 ms is the cross-check.
rm -f "$www/big.bin"  # room on disk for the big one
head -c "$((big_mib * 1024 * 1024))" /dev/urandom >"$tmp/huge.bin"
peak_during() {  # peak_during NAME COMMAND...: runs COMMAND, records NAME_hwm_kb, NAME_rss_kb
  local name=$1
  shift
  echo 5 >"/proc/$server_pid/clear_refs" 2>/dev/null || log "cannot reset VmHWM"
  rm -f "$tmp/sampler.stop"
  (
    max=0
    for ((i = 0; i < 36000; i++)); do  # at most 30 min
      [[ -e "$tmp/sampler.stop" ]] && break
      kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$server_pid/status" 2>/dev/null || echo 0)
      ((kb > max)) && max=$kb
      sleep 0.05
    done
    echo "$max" >"$tmp/sampler.max"
  ) &
  sampler_pid=$!
  "$@" >/dev/null
  touch "$tmp/sampler.stop"
  wait "$sampler_pid" || true
  sampler_pid=""
  put "${name}_hwm_kb" "$(awk '/^VmHWM:/ {print $2}' "/proc/$server_pid/status")"
  put "${name}_rss_kb" "$(cat "$tmp/sampler.max")"
}
log "peak RSS: ${big_mib} MiB upload and download"
put big_mib "$big_mib"
put rss_before_kb "$(awk '/^VmRSS:/ {print $2}' "/proc/$server_pid/status")"
peak_during big_upload upload "$tmp/huge.bin"
peak_during big_download download "$api/api/v1/documents/$doc_id/content" \
  "$(stat -c %s "$tmp/huge.bin")" "$token"
rm -f "$tmp/huge.bin"

# ---- small authorised reads vs nginx's small static file ----
run_wrk() {  # run_wrk NAME URL [AUTH] -> the file holding wrk's report
  local name=$1 url=$2 args=(-t2 -c64 "-d${wrk_seconds}s" --latency --timeout 10s)
  [[ -n "${3:-}" ]] && args+=(-H "Authorization: Bearer $3")
  client_timed timeout $((wrk_seconds + 60)) wrk "${args[@]}" "$url" >"$results_dir/wrk_$name.txt" 2>&1 ||
    die "wrk $name failed: $(tail -3 "$results_dir/wrk_$name.txt")"
  echo "$results_dir/wrk_$name.txt"
}
log "wrk -t2 -c64 -d${wrk_seconds}s: nginx small file, then GET /api/v1/documents/{id}"
measured wrk_file_nginx_small nginx run_wrk nginx_small "$ngx_url/small.json"
measured wrk_file_api_metadata baomi run_wrk api_metadata "$api/api/v1/documents/$doc_id" "$token"
put load_after_load "$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' '/')"

# ---- stop both servers; verify the trail the run wrote ----
stop_pid "$nginx_pid" QUIT
nginx_pid=""
stop_pid "$server_pid" TERM
server_pid=""
log "baomi audit verify"
verify_trail audit_verify

# ---- customer search (C3 blind-index lookups, each with its durable audit entry) ----
# The service path in-process, as --customers runs it; its p99 is set by the audit entry's
# fdatasync, so the disk's own fdatasync latency is measured beside it (the physical limit).
log "customer search over $customer_records records"
"$build/bench/baomi_customer_bench" --records "$customer_records" --searches 2000 \
  --dir "$tmp/customers" >>"$results" 2>"$results_dir/customers.txt" ||
  die "customer search: $(tail -3 "$results_dir/customers.txt")"
rm -rf "$tmp/customers"
python3 - "$tmp/fsync.probe" >>"$results" <<'PY'
import os, sys, time
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT, 0o600)
us = []
for i in range(500):
    os.pwrite(fd, os.urandom(4096), i * 4096)
    t = time.perf_counter(); os.fdatasync(fd); us.append((time.perf_counter() - t) * 1e6)
us.sort()
print(f"fdatasync_p50_us {us[len(us) // 2]:.0f}")
print(f"fdatasync_p99_us {us[int(len(us) * 0.99)]:.0f}")
# A durable upload writes every byte to this disk: its sequential write rate, synced, bounds it.
block = os.urandom(1 << 20)
t = time.perf_counter()
for i in range(100):
    os.pwrite(fd, block, i << 20)
os.fdatasync(fd)
print(f"disk_write_100mib_seconds {time.perf_counter() - t:.3f}")
os.close(fd)
PY

# ---- micro-benchmarks ----
log "micro-benchmarks"
"$microbench" "${micro_args[@]}" --benchmark_report_aggregates_only=true \
  --benchmark_out="$results_dir/micro.json" --benchmark_out_format=json \
  >"$results_dir/micro.txt" 2>&1 || die "micro-benchmarks: $(tail -5 "$results_dir/micro.txt")"
put load_after "$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' '/')"

python3 "$bench_dir/report.py" --results "$results" --micro "$results_dir/micro.json" \
  --out "$out" --command "bench/run.sh$([[ $quick == 1 ]] && echo ' --quick')"
log "report written to $out"
