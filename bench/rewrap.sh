#!/usr/bin/env bash
# KEK rotation's background rewrap (issue 15): how many data keys per second it rewraps, alone
# and while small reads run, and what it costs those reads. The instance holds KEYS documents
# (one data key each; created through the API over one keep-alive connection). Three phases:
#   1. small reads alone (wrk -t2 -c32 GET /api/v1/documents/{id}, each with its durable audit
#      entry) for SECONDS;
#   2. `POST /api/v1/sys/rotate` with nothing else running: keys/s until KEK 1 wraps none;
#   3. a second rotation with the same wrk run alongside: keys/s, and the reads' rate and p99
#      during the rewrap next to phase 1.
# Prints a markdown table; docs/benchmarks.md quotes it.
#
# Usage: bench/rewrap.sh [--keys N] [--seconds N] [--batch N] [--pause-ms N]
# Environment: BAOMI_BINARY  the baomi executable (default build/bench/baomi, else build/test/baomi)
#              BAOMI_BENCH_KEEP=1  keep the instance (its directory is printed)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
keys=20000 seconds=10 batch=256 pause_ms=5
while (($#)); do
  case "$1" in
    --keys) keys=${2:?}; shift ;;
    --seconds) seconds=${2:?}; shift ;;
    --batch) batch=${2:?}; shift ;;
    --pause-ms) pause_ms=${2:?}; shift ;;
    -h | --help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "rewrap.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
die() { echo "rewrap.sh: FAILED: $*" >&2; exit 1; }
find_binary
command -v wrk >/dev/null || die "wrk is missing (apt-get install wrk)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/baomi-rewrap-bench.XXXXXX")
server_pid=""
curl_max_time=600
cleanup() {
  stop_server
  if [[ -n "${BAOMI_BENCH_KEEP:-}" ]]; then echo "kept $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

init_instance
start_server \
  --rewrap-batch "$batch" --rewrap-pause-ms "$pause_ms"
bench_reader
sec_token=$(login secadmin "$(admin_pw secadmin)")

# KEYS documents over one keep-alive connection; prints the first one's id.
doc=$(python3 - "$port" "$token" "$user_id" "$keys" <<'PY'
import http.client, json, ssl, sys
port, token, uid, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
c = http.client.HTTPSConnection("127.0.0.1", int(port), context=ctx, timeout=60)
first = None
for i in range(n):
    body = json.dumps({"title": f"rewrap {i}", "level": "secret", "categories": ["finance"],
                       "custodian_id": uid, "secret_until": "2030-12-31T00:00:00Z"})
    c.request("POST", "/api/v1/documents", body,
              {"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    r = c.getresponse(); data = r.read()
    if r.status != 201: sys.exit(f"create failed: {r.status} {data[:200]!r}")
    first = first or json.loads(data)["id"]
print(first)
PY
) || die "creating documents"

old_keys() {  # old_keys VERSION: data keys KEK VERSION still wraps
  curl_api GET /api/v1/sys/keys "$sec_token" >"$tmp/keys.json"
  python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))
print(next((v["keys"] for v in s["versions"] if v["version"]==int(sys.argv[2])), 0))' \
    "$tmp/keys.json" "$1"
}
total=$(old_keys 1)
rewrap_seconds() {  # rewrap_seconds VERSION: rotates, then the seconds until VERSION wraps none
  local t0 t1
  t0=$(date +%s.%N)
  curl_api POST /api/v1/sys/rotate "$sec_token" >/dev/null
  while [[ $(old_keys "$1") != 0 ]]; do sleep 0.2; done
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}
reads() {  # reads NAME: wrk for SECONDS on one document's metadata
  timeout $((seconds + 60)) wrk -t2 -c32 "-d${seconds}s" --latency --timeout 10s \
    -H "Authorization: Bearer $token" "$api/api/v1/documents/$doc" >"$tmp/wrk_$1.txt" 2>&1 ||
    die "wrk $1: $(tail -3 "$tmp/wrk_$1.txt")"
}
rps() { sed -nE 's/^Requests\/sec:[[:space:]]+([0-9.]+).*/\1/p' "$tmp/wrk_$1.txt"; }
p99() { sed -nE 's/^[[:space:]]+99%[[:space:]]+([0-9.]+[a-z]+).*/\1/p' "$tmp/wrk_$1.txt"; }
non2xx() { sed -nE 's/^[[:space:]]+Non-2xx or 3xx responses: ([0-9]+).*/\1/p' "$tmp/wrk_$1.txt"; }

reads alone
idle=$(rewrap_seconds 1)
reads during &
wrk_pid=$!
sleep 0.5
loaded=$(rewrap_seconds 2)
wait "$wrk_pid" || die "wrk during the rewrap"
rate() { echo "scale=0; $total / $1" | bc -l; }

echo "data keys: $total (documents and accounts); --rewrap-batch $batch --rewrap-pause-ms $pause_ms;"
echo "wrk -t2 -c32 ${seconds}s GET /api/v1/documents/{id} (each read with its durable audit entry)"
echo
echo "| measure | value |"
echo "|---|---|"
printf '| rewrap alone | %.2f s, %s keys/s |\n' "$idle" "$(rate "$idle")"
printf '| rewrap while reads run | %.2f s, %s keys/s |\n' "$loaded" "$(rate "$loaded")"
printf '| small reads alone | %s req/s, p99 %s |\n' "$(rps alone)" "$(p99 alone)"
printf '| small reads while the rewrap runs | %s req/s, p99 %s, non-2xx %s |\n' \
  "$(rps during)" "$(p99 during)" "$(non2xx during || true)"
