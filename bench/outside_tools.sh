#!/usr/bin/env bash
# The outside tools of issue 16, run as an outside attacker would against a fresh demo-like
# instance on loopback (`baomi init` + `baomi demo load` in a scratch directory, removed at the
# end): sqlmap over the login, customer search, document list, audit query and path ids (with a
# session token where the endpoint needs one), testssl.sh's full default run, and wrk with 1,000
# keep-alive connections. Not part of the test suite; docs/reliability.md records the results.
#
# Usage: bench/outside_tools.sh sqlmap|sqlmap-login|testssl|wrk [BAOMI_BINARY]
#        (default binary: build/test/baomi)
#   sqlmap        every surface, the login last
#   sqlmap-login  only the login (`username` and `password` of POST /api/v1/session): every try
#                 costs the server one Argon2id verification, so this run is the long one
# Environment: SQLMAP_ARGS        sqlmap's bounds (default: --level 2 --risk 1 --threads 4)
#              SQLMAP_LOGIN_ARGS  the login run's (default: --level 2 --risk 1 --threads 2
#                                 --technique BEUSTQ, i.e. every technique, two at a time)
#              WRK_SECONDS        how long wrk holds its 1,000 connections (default 60)
# Needs: sqlmap, testssl.sh, wrk, curl (Debian packages; manual tools, not in install-deps.sh).
# The sqlmap login run uses a policy whose login throttling is raised far out of reach (the
# scratch instance only): with the defaults, one source gets 429 after 50 failed logins, and
# sqlmap would test the throttle instead of the SQL behind the login. The password hashing cost
# stays the product's (Argon2id, libsodium's INTERACTIVE): baomi has no setting to lower it, on
# purpose, so the run measures the login as deployed.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
tool=${1:?usage: bench/outside_tools.sh sqlmap|sqlmap-login|testssl|wrk [BAOMI_BINARY]}
baomi=$(realpath "${2:-$root/build/test/baomi}")
sqlmap_args=${SQLMAP_ARGS:---level 2 --risk 1 --threads 4}
sqlmap_login_args=${SQLMAP_LOGIN_ARGS:---level 2 --risk 1 --threads 2 --technique BEUSTQ}
ulimit -n 20000
tmp=$(mktemp -d)
server_pid=""
probe_pid=""
cleanup() {
  [[ -z "$probe_pid" ]] || kill "$probe_pid" 2>/dev/null || true
  stop_server
  rm -rf "$tmp"
}
trap cleanup EXIT

umask 077
admin_passwords "$tmp/pw.json"
staff_pw=$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')
"$baomi" init --data "$tmp/data" --keys "$tmp/keys" --admin-passwords "$tmp/pw.json" >/dev/null
"$baomi" demo load --data "$tmp/data" --keys "$tmp/keys" --password "$staff_pw" >/dev/null
if [[ $tool == sqlmap* ]]; then
  sed -i -E -e 's/^(  max_failures:).*/\1 1000/' -e 's/^(  source_max_names:).*/\1 100000/' \
    -e 's/^(  source_max_failures:).*/\1 1000000/' "$tmp/data/policy.yaml"
fi
"$baomi" serve --data "$tmp/data" --keys "$tmp/keys" --listen 127.0.0.1:0 \
  >"$tmp/serve.out" 2>"$tmp/serve.err" &
server_pid=$!
port=$(served_port "$tmp/serve.out" "$server_pid") ||
  { echo "baomi serve did not start" >&2; cat "$tmp/serve.err" >&2; exit 1; }
api="https://127.0.0.1:$port"
echo "baomi serving on $api"

admin_pw() { json_get "$tmp/pw.json" "$1"; }
login() {
  curl -sk -H 'Content-Type: application/json' \
    --data-binary "{\"username\":\"$1\",\"password\":\"$2\"}" "$api/api/v1/session" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
get() { curl -sk -H "Authorization: Bearer $1" "$api$2"; }
first() { python3 -c "import json,sys; d=json.load(sys.stdin)['items']; print(d[0]['$1'] if d else '')"; }
requests_so_far() { grep -c '"status":' "$tmp/serve.err" || true; }
statuses() {  # the access log's statuses since line $1, counted
  tail -n +"$1" "$tmp/serve.err" | grep -oE '"status":[0-9]+' | sort | uniq -c | sort -rn | tr '\n' ' '
  echo
}

run_sqlmap() {  # run_sqlmap NAME BOUNDS sqlmap-arguments...
  local name=$1 bounds=$2 before started
  shift 2
  before=$(($(wc -l <"$tmp/serve.err") + 1))
  started=$(date +%s)
  echo "== sqlmap: $name ($bounds; load average $(cut -d' ' -f1-3 /proc/loadavg))"
  # shellcheck disable=SC2086  # the bounds are meant to split
  sqlmap --batch $bounds --flush-session --disable-coloring --output-dir="$tmp/sqlmap" \
    --ignore-code=400,401,403,404,409,423,429 "$@" >"$tmp/sqlmap-$name.log" 2>&1 || true
  echo "   $(($(date +%s) - started)) s; requests answered: $(tail -n +"$before" "$tmp/serve.err" | grep -c '"status":' || true)"
  grep -E "injectable|identified|CRITICAL|WARNING.*(heuristic|does not seem)|ERROR" \
    "$tmp/sqlmap-$name.log" | sort -u | head -12 || true
  echo "   server answers: $(statuses "$before")"
}

sqlmap_login() {  # both fields of the login's JSON body, marked for sqlmap with '*'
  run_sqlmap login "$sqlmap_login_args" -u "$api/api/v1/session" --method POST \
    -H 'Content-Type: application/json' --data '{"username":"li.na*","password":"guess*"}'
}

case $tool in
  sqlmap)
    command -v sqlmap >/dev/null || { echo "sqlmap is not installed" >&2; exit 1; }
    staff=$(login li.na "$staff_pw")
    auditor=$(login auditor "$(admin_pw auditor)")
    doc=$(get "$staff" "/api/v1/documents?limit=1" | first id)
    serial=$(get "$staff" "/api/v1/copies" | first serial)
    request=$(get "$staff" "/api/v1/requests" | first id)
    auth=(-H "Authorization: Bearer $staff")
    run_sqlmap customer_search "$sqlmap_args" "${auth[@]}" -u "$api/api/v1/customers?phone=13800138000" -p phone
    run_sqlmap document_list "$sqlmap_args" "${auth[@]}" -u "$api/api/v1/documents?limit=5&cursor=&review=term_expired" \
      -p limit,cursor,review
    run_sqlmap audit_query "$sqlmap_args" -H "Authorization: Bearer $auditor" \
      -u "$api/api/v1/audit?actor=system&action=document.list&target=document:$doc&from=2026-01-01&limit=5" \
      -p actor,action,target,from,limit
    run_sqlmap path_ids "$sqlmap_args" "${auth[@]}" -u "$api/api/v1/documents/$doc*"
    run_sqlmap path_serial "$sqlmap_args" "${auth[@]}" -u "$api/api/v1/copies/${serial:-BM-000001-3}*"
    run_sqlmap path_request "$sqlmap_args" "${auth[@]}" -u "$api/api/v1/requests/${request:-x}*"
    # Last: each login costs an Argon2id verification, so this run is the slowest.
    sqlmap_login
    echo "== requests the server answered in all: $(requests_so_far)"
    echo "   answers by status: $(statuses 1)"
    ;;
  sqlmap-login)
    command -v sqlmap >/dev/null || { echo "sqlmap is not installed" >&2; exit 1; }
    sqlmap_login
    echo "== requests the server answered in all: $(requests_so_far)"
    echo "   answers by status: $(statuses 1)"
    ;;
  testssl)
    command -v testssl >/dev/null || { echo "testssl.sh is not installed" >&2; exit 1; }
    testssl --color 0 --warnings off "127.0.0.1:$port" | tee "$tmp/testssl.log" || true
    ;;
  wrk)
    command -v wrk >/dev/null || { echo "wrk is not installed" >&2; exit 1; }
    staff=$(login li.na "$staff_pw")
    doc=$(get "$staff" "/api/v1/documents?limit=1" | first id)
    # A client on another loopback address asks for /healthz every 2 s while wrk runs: the
    # server must stay responsive to others, not only survive.
    (
      while :; do
        printf '%s %s\n' "$(date +%s)" \
          "$(curl -sk --interface 127.0.0.2 -m 10 -o /dev/null -w '%{http_code}' "$api/healthz")"
        sleep 2
      done
    ) >"$tmp/probe.log" 2>&1 &
    probe_pid=$!
    for target in healthz document; do
      echo "== wrk -t2 -c1000 -d${WRK_SECONDS:-60}s: $target (load average $(cut -d' ' -f1-3 /proc/loadavg))"
      if [[ $target == healthz ]]; then
        wrk -t2 -c1000 -d"${WRK_SECONDS:-60}s" --latency "$api/healthz"
      else  # an audited read: every answer appends an audit entry
        wrk -t2 -c1000 -d"${WRK_SECONDS:-60}s" --latency -H "Authorization: Bearer $staff" \
          "$api/api/v1/documents/$doc"
      fi
      curl -sk "$api/metrics" | grep -E '^baomi_connections' || true
    done
    kill "$probe_pid" 2>/dev/null || true
    wait "$probe_pid" 2>/dev/null || true
    probe_pid=""
    echo "== the other client's /healthz during the runs: $(awk '{print $2}' "$tmp/probe.log" | sort | uniq -c | tr '\n' ' ')"
    echo "   load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
    ;;
  *) echo "unknown tool $tool" >&2; exit 2 ;;
esac
echo "== server still answers: $(curl -sk -o /dev/null -w '%{http_code}' "$api/healthz")"
echo "== 5xx in the access log: $(grep -cE '"status":5[0-9][0-9]' "$tmp/serve.err" || true)"
