#!/usr/bin/env bash
# The slow-body connection-exhaustion attack of issue 16 (slowhttptest -B, "R-U-Dead-Yet"), run
# from outside against a fresh local instance, while a legitimate client on another loopback
# address (127.0.0.2) keeps asking for /healthz and logging in once a second. Prints how many of
# the legitimate client's requests succeeded, slowhttptest's own summary, the server's refusal
# counters and how many refusal log lines it wrote. Not part of the test suite (it runs for a
# minute and opens thousands of connections); docs/reliability.md records its results.
#
# Usage: bench/slowhttp.sh [BAOMI_BINARY]   (default: build/test/baomi)
# Environment: SLOWHTTP_ARGS  slowhttptest arguments before -u (default: the issue's command,
#              -B -c 4500 -r 500 -i 10 -l 60 -s 8192 -t POST)
#              SLOWHTTP_KEEP  a directory to copy slowhttptest's CSV and HTML report into
# Needs: slowhttptest and curl (Debian packages), an open-file limit above 10000.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
baomi=$(realpath "${1:-$root/build/test/baomi}")
args=${SLOWHTTP_ARGS:--B -c 4500 -r 500 -i 10 -l 60 -s 8192 -t POST}
command -v slowhttptest >/dev/null || { echo "slowhttptest is not installed" >&2; exit 1; }
ulimit -n 20000
tmp=$(mktemp -d)
server_pid=""
probe_pid=""
cleanup() {
  [[ -n "$probe_pid" ]] && kill "$probe_pid" 2>/dev/null || true
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

umask 022
python3 - "$tmp/pw.json" <<'PY'
import json, os, secrets, sys
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
with os.fdopen(fd, "w") as f:
    json.dump({r: secrets.token_urlsafe(18) for r in ("sysadmin", "secadmin", "auditor")}, f)
PY
"$baomi" init --data "$tmp/data" --keys "$tmp/keys" --admin-passwords "$tmp/pw.json" >/dev/null
"$baomi" serve --data "$tmp/data" --keys "$tmp/keys" --listen 127.0.0.1:0 \
  >"$tmp/serve.out" 2>"$tmp/serve.err" &
server_pid=$!
port=$(served_port "$tmp/serve.out") || { echo "baomi serve did not start" >&2; cat "$tmp/serve.err" >&2; exit 1; }
api="https://127.0.0.1:$port"
pw=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sysadmin"])' "$tmp/pw.json")
echo "baomi $("$baomi" --version 2>/dev/null || true) serving on $api"

# The legitimate client: another source address, one health check and one login a second.
probe() {
  local i=0
  while :; do
    local h l
    h=$(curl -sk --interface 127.0.0.2 --max-time 5 -o /dev/null -w '%{http_code}' "$api/healthz" || true)
    l=$(curl -sk --interface 127.0.0.2 --max-time 5 -o /dev/null -w '%{http_code}' \
      -H 'Content-Type: application/json' \
      --data-binary "{\"username\":\"sysadmin\",\"password\":\"$pw\"}" "$api/api/v1/session" || true)
    echo "$i healthz=$h login=$l" >>"$tmp/probe.log"
    i=$((i + 1))
    sleep 1
  done
}
probe &
probe_pid=$!

echo "running: slowhttptest $args -u $api/api/v1/session"
# shellcheck disable=SC2086  # the arguments are meant to split
slowhttptest $args -u "$api/api/v1/session" -o "$tmp/slowhttp" -g >"$tmp/slowhttp.out" 2>&1 || true
kill "$probe_pid" 2>/dev/null || true
wait "$probe_pid" 2>/dev/null || true
probe_pid=""

echo "--- slowhttptest summary (last status) ---"
# slowhttptest redraws its status block; the last one is the final state.
tr -d '\033' <"$tmp/slowhttp.out" | sed 's/\[[0-9;]*[A-Za-z]//g' | grep -E \
  "connections|closed|pending|connected|error|service available|test ended" | tail -12
if [[ -f "$tmp/slowhttp.csv" ]]; then
  # Columns: Seconds,Closed,Pending,Connected,Service Available (0 when not available).
  echo "--- slowhttptest CSV ---"
  awk -F, 'NR>1 {n++; if ($5 > 0) a++; if ($4 > c) c = $4; if ($2 > x) x = $2}
           END {printf "seconds with service available: %d of %d; connected max %d; closed max %d\n", a, n, c, x}' \
    "$tmp/slowhttp.csv"
  [[ -n "${SLOWHTTP_KEEP:-}" ]] && cp "$tmp/slowhttp.csv" "$tmp/slowhttp.html" "$SLOWHTTP_KEEP"/ 2>/dev/null
fi
total=$(wc -l <"$tmp/probe.log")
ok_h=$(grep -c "healthz=200" "$tmp/probe.log" || true)
ok_l=$(grep -c "login=200" "$tmp/probe.log" || true)
echo "--- legitimate client from 127.0.0.2 ---"
echo "healthz 200: $ok_h of $total; login 200: $ok_l of $total"
echo "--- server ---"
curl -sk --interface 127.0.0.2 --max-time 10 "$api/metrics" | grep -E "^baomi_connections" || true
echo "refusal log lines: $(grep -c '"event":"connections_refused"' "$tmp/serve.err" || true)"
grep '"event":"connections_refused"' "$tmp/serve.err" | head -3 || true
