#!/usr/bin/env bash
# Storage engines and instances, side by side in one run (issue 13): the same workload on
#   sqlite  one `baomi serve` on the embedded SQLite file (the default),
#   pg      one `baomi serve` on PostgreSQL (a scratch cluster: scripts/pg-scratch.sh),
#   pg2     two `baomi serve` processes on that PostgreSQL behind HAProxy (round robin, TLS
#           passed through), as deploy/ describes,
# measuring
#   - small authorised reads: wrk -t2 -c64 on GET /api/v1/documents/{id} (a policy decision and
#     a durable audit entry per request): req/s and p99,
#   - 100 MiB encrypted upload and download through the API (curl): MB/s,
#   - where the CPU went during the reads (baomi, PostgreSQL, HAProxy, per request) and the
#     WAL flushes PostgreSQL made (pg_stat_wal.wal_sync, one per durable group commit): how
#     many audited reads share one flush,
#   - the commit ceiling of the one chain: PostgreSQL's own fsync rate here (pg_test_fsync),
#     since every commit of every instance holds the chain's advisory lock through its flush.
# Prints a markdown table and the details; docs/benchmarks.md quotes them.
#
# Usage: bench/engines.sh [--quick] [--no-build] [--out FILE]
#   --quick     20 MiB transfers, 3 s wrk runs (a smoke test)
#   --no-build  use the existing build as it is
#   --out FILE  also write the report to FILE
# Environment: BAOMI_BENCH_BUILD  build directory (default build/bench, Release)
# Everything runs on 127.0.0.1; every wait and load run is bounded in time.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build="${BAOMI_BENCH_BUILD:-$root/build/bench}"
quick=0 do_build=1 out=""
while (($#)); do
  case "$1" in
    --quick) quick=1 ;;
    --no-build) do_build=0 ;;
    --out) out=${2:?--out needs a file}; shift ;;
    -h | --help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "engines: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
if ((quick)); then mib=20 reps=1 wrk_seconds=3; else mib=100 reps=3 wrk_seconds=10; fi

log() { echo "engines: $*" >&2; }
die() { log "FAILED: $*"; exit 1; }

if ! command -v wrk >/dev/null || ! command -v haproxy >/dev/null; then
  BAOMI_BENCH_DEPS=1 "$root/scripts/install-deps.sh" >&2
fi
if ((do_build)); then
  log "building Release in $build"
  "$root/scripts/build.sh" "$build" -DCMAKE_BUILD_TYPE=Release -DBAOMI_TESTS=OFF -DBAOMI_BENCH=ON >&2
fi
baomi="$build/baomi"
[[ -x "$baomi" ]] || die "$baomi is missing (build failed?)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/baomi-engines.XXXXXX")
chmod 711 "$tmp"
cleanup() {  # every server started writes DIR/NAME.pid (they start in command substitutions)
  local f p
  for f in "$tmp"/*/*.pid; do
    [[ -f "$f" ]] || continue
    p=$(cat "$f")
    kill -TERM "$p" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  done
  "$root/scripts/pg-scratch.sh" stop "$tmp/pg" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

results="$tmp/results.txt"
: >"$results"
put() { echo "$1 $2" >>"$results"; }
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"

put date "$(date -u "+%Y-%m-%d %H:%M UTC")"
put load_before "$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' '/')"
put commit "$(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet || echo +changes)"
put build_type "$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build/CMakeCache.txt" 2>/dev/null || echo unknown)"

# ---- PostgreSQL: one scratch cluster for both PostgreSQL configurations ----
pg_url=$("$root/scripts/pg-scratch.sh" start "$tmp/pg")
pg_bin=$(cat "$tmp/pg/bindir")
pg_pid=$(head -1 "$tmp/pg/data/postmaster.pid")
psql_admin() { "$pg_bin/psql" -qtAX "$pg_url" -c "$1"; }
pg_pids() { echo "$pg_pid" $(pgrep -P "$pg_pid"); }  # postmaster and its backends now
put pg_version "$("$pg_bin/postgres" --version | awk '{print $3}')"
# The fsync rate of the WAL's device as PostgreSQL would use it: the ceiling on commits/s.
"$pg_bin/pg_test_fsync" -s 2 -f "$tmp/fsync.test" >"$tmp/fsync.txt" 2>&1 || true
put fsync_per_s "$(awk '/fdatasync/ && /ops\/sec/ {print $(NF-3); exit}' "$tmp/fsync.txt" | tr -d ,)"

# ---- one configuration: instance, servers, workload ----
admin_pw() { json_get "$1/admin-passwords.json" "$2"; }
new_instance() {  # new_instance DIR [DATABASE_URL]
  local dir=$1
  mkdir -p "$dir"
  admin_passwords "$dir/admin-passwords.json"
  local db=()
  [[ -n "${2:-}" ]] && db=(--database "$2")
  "$baomi" init --data "$dir/data" --keys "$dir/keys" "${db[@]}" \
    --admin-passwords "$dir/admin-passwords.json" >/dev/null
}
start_engine_server() {  # start_engine_server DIR NAME [DATABASE_URL] -> port; the pid goes to DIR/NAME.pid
  local dir=$1 name=$2 db=() port="" i
  [[ -n "${3:-}" ]] && db=(--database "$3")
  : >"$dir/$name.out"
  "$baomi" serve --data "$dir/data" --keys "$dir/keys" "${db[@]}" --listen 127.0.0.1:0 \
    >"$dir/$name.out" 2>"$dir/$name.err" &
  local pid=$!
  echo "$pid" >"$dir/$name.pid"
  for ((i = 0; i < 300; i++)); do
    port=$(sed -nE 's#^baomi: serving https://127\.0\.0\.1:([0-9]+)/.*#\1#p' "$dir/$name.out")
    [[ -n "$port" ]] && break
    kill -0 "$pid" 2>/dev/null || { tail -5 "$dir/$name.err" >&2; die "baomi serve exited"; }
    sleep 0.1
  done
  [[ -n "$port" ]] || die "baomi serve did not report its port within 30 s"
  echo "$port"
}
start_haproxy() {  # start_haproxy DIR BACKEND_PORT... -> port
  local dir=$1 port i
  shift
  port=$(free_port)
  {
    echo "global"
    echo "  maxconn 4096"
    echo "defaults"
    echo "  mode tcp"
    echo "  timeout connect 5s"
    echo "  timeout client 120s"
    echo "  timeout server 120s"
    echo "frontend baomi"
    echo "  bind 127.0.0.1:$port"
    echo "  default_backend instances"
    echo "backend instances"
    echo "  balance roundrobin"
    for ((i = 1; i <= $#; i++)); do echo "  server i$i 127.0.0.1:${!i} check"; done
  } >"$dir/haproxy.cfg"
  haproxy -db -f "$dir/haproxy.cfg" >"$dir/haproxy.log" 2>&1 &
  echo "$!" >"$dir/haproxy.pid"
  for ((i = 0; i < 100; i++)); do
    curl -sk --max-time 2 -o /dev/null "https://127.0.0.1:$port/healthz" && break
    sleep 0.1
  done
  echo "$port"
}

# workload NAME DIR API SERVER_PIDS PG(0|1): a reader, a document, transfers, then wrk.
workload() {
  local name=$1 dir=$2 api=$3 server_pids=$4 on_pg=$5
  curl_api() {
    local args=(-sk --max-time 60 --fail-with-body -X "$1" "$api$2")
    [[ -n "$3" ]] && args+=(-H "Authorization: Bearer $3")
    [[ $# -ge 4 ]] && args+=(-H 'Content-Type: application/json' --data-binary "$4")
    curl "${args[@]}" || die "$name: $1 $2 failed"
  }
  login() {
    curl_api POST /api/v1/session "" "{\"username\":\"$1\",\"password\":\"$2\"}" >"$dir/login.json"
    json_get "$dir/login.json" token
  }
  local sys sec pw uid token doc
  sys=$(login sysadmin "$(admin_pw "$dir" sysadmin)")
  sec=$(login secadmin "$(admin_pw "$dir" secadmin)")
  pw=$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')
  curl_api POST /api/v1/users "$sys" \
    "{\"username\":\"bench.reader\",\"display_name\":\"Bench Reader\",\"department\":\"general_cs\",\"password\":\"$pw\",\"roles\":[\"custodian\"]}" \
    >"$dir/user.json"
  uid=$(json_get "$dir/user.json" id)
  curl_api PUT "/api/v1/users/$uid/clearance" "$sec" \
    '{"level":"top_secret","categories":["finance"]}' >/dev/null
  token=$(login bench.reader "$pw")
  curl_api POST /api/v1/me/pledge "$token" >/dev/null
  curl_api POST /api/v1/documents "$token" \
    "{\"title\":\"benchmark document\",\"level\":\"secret\",\"categories\":[\"finance\"],\"custodian_id\":\"$uid\",\"secret_until\":\"2030-12-31T00:00:00Z\",\"description\":\"bench/engines.sh\"}" \
    >"$dir/doc.json"
  doc=$(json_get "$dir/doc.json" id)

  local file=$tmp/big.bin r res secs size
  size=$(stat -c %s "$file")
  for ((r = 1; r <= reps; r++)); do
    res=$(curl -sk --max-time 900 -X PUT -T "$file" -H "Authorization: Bearer $token" \
      -H 'Content-Type: application/octet-stream' -o "$dir/upload.json" \
      -w '%{http_code} %{time_total}' "$api/api/v1/documents/$doc/content")
    [[ ${res%% *} == 200 ]] || die "$name: upload returned ${res%% *}: $(cat "$dir/upload.json")"
    put "${name}_upload_s" "${res#* }"
    res=$(curl -sk --max-time 900 -o /dev/null -H "Authorization: Bearer $token" \
      -w '%{http_code} %{time_total} %{size_download}' "$api/api/v1/documents/$doc/content")
    read -r code secs got <<<"$res"
    [[ $code == 200 && $got == "$size" ]] || die "$name: download: $res"
    put "${name}_download_s" "$secs"
  done
  [[ $(json_get "$dir/upload.json" sha256) == "$(sha256sum <"$file" | cut -d' ' -f1)" ]] ||
    die "$name: stored digest differs"

  local commits0=0 commits1=0 t0 t1 p0 p1 h0=0 h1=0 hap=""
  [[ -f "$dir/haproxy.pid" ]] && hap=$(cat "$dir/haproxy.pid")
  ((on_pg)) && commits0=$(psql_admin "SELECT wal_sync FROM pg_stat_wal")
  read -ra spids <<<"$server_pids"
  t0=$(cpu_ticks "${spids[@]}")
  p0=$( ((on_pg)) && cpu_ticks $(pg_pids) || echo 0)
  [[ -n "$hap" ]] && h0=$(cpu_ticks "$hap")
  timeout $((wrk_seconds + 60)) wrk -t2 -c64 "-d${wrk_seconds}s" --latency --timeout 10s \
    -H "Authorization: Bearer $token" "$api/api/v1/documents/$doc" >"$dir/wrk.txt" 2>&1 ||
    die "$name: wrk failed: $(tail -3 "$dir/wrk.txt")"
  t1=$(cpu_ticks "${spids[@]}")
  p1=$( ((on_pg)) && cpu_ticks $(pg_pids) || echo 0)
  [[ -n "$hap" ]] && h1=$(cpu_ticks "$hap")
  ((on_pg)) && commits1=$(psql_admin "SELECT wal_sync FROM pg_stat_wal")
  grep -q "Non-2xx" "$dir/wrk.txt" && die "$name: wrk saw errors: $(grep Non-2xx "$dir/wrk.txt")"
  put "${name}_rps" "$(awk '/^Requests\/sec/ {print $2}' "$dir/wrk.txt")"
  put "${name}_requests" "$(awk '/requests in/ {print $1}' "$dir/wrk.txt")"
  put "${name}_p99" "$(awk '$1 == "99%" {print $2}' "$dir/wrk.txt")"
  put "${name}_baomi_cpu" "$(((t1 - t0) * 1000 / hz))e-3"
  put "${name}_pg_cpu" "$(((p1 - p0) * 1000 / hz))e-3"
  put "${name}_haproxy_cpu" "$(((h1 - h0) * 1000 / hz))e-3"
  put "${name}_commits" "$((commits1 - commits0))"
  # The one trail stays one chain however many instances wrote it.
  local db=()
  ((on_pg)) && db=(--database "$(cat "$dir/url")")
  "$baomi" audit verify --data "$dir/data" --keys "$dir/keys" "${db[@]}" >"$dir/verify.txt" 2>&1 ||
    die "$name: audit verify: $(cat "$dir/verify.txt")"
  put "${name}_verify" "$(head -1 "$dir/verify.txt" | tr ' ' '_')"
}

head -c "$((mib * 1024 * 1024))" /dev/urandom >"$tmp/big.bin"
put mib "$mib"
put wrk_seconds "$wrk_seconds"

log "sqlite: one instance on the embedded file"
new_instance "$tmp/sqlite"
port=$(start_engine_server "$tmp/sqlite" serve)
workload sqlite "$tmp/sqlite" "https://127.0.0.1:$port" "$(cat "$tmp/sqlite/serve.pid")" 0
kill -TERM "$(cat "$tmp/sqlite/serve.pid")"

for config in pg pg2; do
  log "$config: PostgreSQL"
  dir=$tmp/$config
  psql_admin "CREATE DATABASE bench_$config"
  url=$(python3 -c 'import sys; u=sys.argv[1]; h=u.split("://",1); b=h[1].split("/",1)[0]; q=u.split("?",1)[1] if "?" in u else ""; print(h[0]+"://"+b+"/"+sys.argv[2]+("?"+q if q else ""))' "$pg_url" "bench_$config")
  new_instance "$dir" "$url"
  echo "$url" >"$dir/url"
  port=$(start_engine_server "$dir" serve1 "$url")
  server_pids=$(cat "$dir/serve1.pid")
  if [[ $config == pg2 ]]; then
    port2=$(start_engine_server "$dir" serve2 "$url")
    server_pids="$server_pids $(cat "$dir/serve2.pid")"
    port=$(start_haproxy "$dir" "$port" "$port2")
  fi
  workload "$config" "$dir" "https://127.0.0.1:$port" "$server_pids" 1
  for p in $server_pids; do kill -TERM "$p"; done
done
put load_after "$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' '/')"

python3 "$root/bench/engines_report.py" "$results" "$(nproc)" | tee "$tmp/report.md"
[[ -n "$out" ]] && cp "$tmp/report.md" "$out"
exit 0
