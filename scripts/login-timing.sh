#!/usr/bin/env bash
# Measures the timing classes of POST /api/v1/session (issue 16, docs/reliability.md): a known
# name with a wrong password, an unknown name, a known name refused (423) and an unknown name
# refused (423), each from its own loopback address so that the states do not mix, plus 429.
# Usage: scripts/login-timing.sh [BAOMI_BINARY] [ROUNDS]   (default build/test/baomi, 20)
set -euo pipefail
BIN=${1:-build/test/baomi}
ROUNDS=${2:-20}
WORK=$(mktemp -d)
trap 'kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT
echo '{"sysadmin":"sysadmin-pass-1","secadmin":"secadmin-pass-1","auditor":"auditor-pass-1"}' \
  >"$WORK/passwords.json"
"$BIN" init --data "$WORK/data" --admin-passwords "$WORK/passwords.json" >/dev/null
"$BIN" serve --data "$WORK/data" --listen 127.0.0.1:0 >"$WORK/out" 2>"$WORK/err" &
PID=$!
for _ in $(seq 1 100); do
  PORT=$(grep -oE '127\.0\.0\.1:[0-9]+' "$WORK/out" | head -1 | cut -d: -f2 || true)
  [ -n "${PORT:-}" ] && break
  sleep 0.2
done
URL="https://127.0.0.1:$PORT/api/v1/session"

# time_login FROM USER PASSWORD: prints "status seconds"
time_login() {
  curl -sk --interface "$1" -o /dev/null -w '%{http_code} %{time_total}\n' \
    -H 'Content-Type: application/json' \
    -d "{\"username\":\"$2\",\"password\":\"$3\"}" "$URL"
}
# median_of LABEL FROM USER PASSWORD: runs ROUNDS logins, prints the statuses and the median.
# FROM ending in "." is a prefix: each round comes from its own address (FROM + round), so that
# failures never add up to a refusal.
median_of() {
  local label=$1 from=$2 user=$3 pass=$4
  local out
  out=$(for i in $(seq 1 "$ROUNDS"); do
    local src=$from
    [[ $from == *. ]] && src="$from$i"
    time_login "$src" "$user" "$pass"
  done)
  local statuses median
  statuses=$(echo "$out" | cut -d' ' -f1 | sort | uniq -c | tr -s ' ' | tr '\n' ',')
  median=$(echo "$out" | cut -d' ' -f2 | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%-34s statuses:%-14s median %.1f ms\n' "$label" "$statuses" \
    "$(awk -v s="$median" 'BEGIN {print s * 1000}')"
}

# The known name's state on 127.0.0.21 and .22 is "refused" after 5 failures; .23 sprays.
for _ in 1 2 3 4 5; do time_login 127.0.0.21 secadmin wrong >/dev/null; done
for _ in 1 2 3 4 5; do time_login 127.0.0.22 ghost-name wrong >/dev/null; done
time_login 127.0.0.1 ghost-warm-up x >/dev/null  # TLS and caches
median_of "known name, wrong password (401)" 127.0.1. secadmin wrong-password
median_of "unknown name (401)" 127.0.2. ghost-name-unknown wrong-password
median_of "known name refused (423)" 127.0.0.21 secadmin secadmin-pass-1
median_of "unknown name refused (423)" 127.0.0.22 ghost-name wrong-password
for i in $(seq 1 11); do time_login 127.0.0.23 "spray$i" wrong >/dev/null; done
median_of "spraying source (429)" 127.0.0.23 secadmin secadmin-pass-1
median_of "right password (200)" 127.0.0.1 secadmin secadmin-pass-1
