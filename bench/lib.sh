# Shell helpers shared by the bench/ scripts (sourced, not run).

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
json_get() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }
hz=$(getconf CLK_TCK)
cpu_ticks() {  # cpu_ticks PID...: user+system CPU ticks of those processes so far
  local t=0 p
  for p in "$@"; do
    [[ -r /proc/$p/stat ]] && t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat")))
  done
  echo "$t"
}
# admin_passwords FILE: random passwords of the three administrators for `baomi init`, 0600.
admin_passwords() {
  python3 - "$1" <<'PY'
import json, os, secrets, sys
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
with os.fdopen(fd, "w") as f:
    json.dump({r: secrets.token_urlsafe(18) for r in ("sysadmin", "secadmin", "auditor")}, f)
PY
}

# bench_reader: the benchmark's reader, through the API of the server the caller started
# (its curl_api, login and admin_pw): "bench.reader" in general_cs (a department of the default
# organisation chart), custodian, top-secret clearance with every category (sysadmin creates,
# secadmin clears, the reader accepts the S2 pledge). Sets user_id, user_pw and token.
bench_reader() {
  local sys_token sec_token
  sys_token=$(login sysadmin "$(admin_pw sysadmin)")
  sec_token=$(login secadmin "$(admin_pw secadmin)")
  user_pw=$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')
  curl_api POST /api/v1/users "$sys_token" \
    "{\"username\":\"bench.reader\",\"display_name\":\"Bench Reader\",\"department\":\"general_cs\",\"password\":\"$user_pw\",\"roles\":[\"custodian\"]}" \
    >"$tmp/user.json"
  user_id=$(json_get "$tmp/user.json" id)
  curl_api PUT "/api/v1/users/$user_id/clearance" "$sec_token" \
    '{"level":"top_secret","categories":["business_decisions","personnel","technology","bidding","contracts_customers","finance","other"]}' \
    >/dev/null
  token=$(login bench.reader "$user_pw")
  curl_api POST /api/v1/me/pledge "$token" >/dev/null
}

# served_port FILE [PID]: the port `baomi serve --listen 127.0.0.1:0` printed into FILE (its
# standard output), waiting up to 30 s for the line; fails when it never comes, or at once when
# the server PID has exited.
served_port() {
  local port="" i
  for ((i = 0; i < 300; i++)); do
    port=$(sed -nE 's#^baomi: serving https://127\.0\.0\.1:([0-9]+)/.*#\1#p' "$1")
    [[ -n "$port" ]] && { echo "$port"; return 0; }
    [[ -z "${2:-}" ]] || kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# Stops the server whose pid is in $server_pid (TERM; KILL after 20 s) and forgets it; nothing
# when none runs. Scripts set server_pid="" first and call it from their EXIT trap.
stop_server() {
  [[ -n "$server_pid" ]] || return 0
  kill -TERM "$server_pid" 2>/dev/null || true
  for ((i = 0; i < 200; i++)); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

# ---- one benchmark instance and its server (the caller sets $baomi, $tmp and `die`) ----

# init_instance [INIT ARGS...]: a fresh instance in $tmp/data (keys in $tmp/keys) with random
# administrator passwords in $tmp/admin-passwords.json.
init_instance() {
  admin_passwords "$tmp/admin-passwords.json"
  "$baomi" init --data "$tmp/data" --keys "$tmp/keys" \
    --admin-passwords "$tmp/admin-passwords.json" "$@" >/dev/null
}

# start_server [SERVE ARGS...]: `baomi serve` on a free loopback port in the background; sets
# server_pid, port and api (stop it with stop_server). Fails when it exits or stays silent 30 s.
start_server() {
  : >"$tmp/serve.out"
  "$baomi" serve --data "$tmp/data" --keys "$tmp/keys" --listen 127.0.0.1:0 "$@" \
    >"$tmp/serve.out" 2>"$tmp/serve.err" &
  server_pid=$!
  port=$(served_port "$tmp/serve.out" "$server_pid") ||
    { tail -5 "$tmp/serve.err" >&2; die "baomi serve exited or did not report its port within 30 s"; }
  api="https://127.0.0.1:$port"
}

# curl_api METHOD PATH TOKEN [JSON] > body: one API call to $api; fails the script on any
# non-2xx status. curl_max_time (seconds, default 60) bounds each call.
curl_api() {
  local args=(-sk --max-time "${curl_max_time:-60}" --fail-with-body -X "$1" "$api$2")
  [[ -n "$3" ]] && args+=(-H "Authorization: Bearer $3")
  [[ $# -ge 4 ]] && args+=(-H 'Content-Type: application/json' --data-binary "$4")
  curl "${args[@]}" || die "$1 $2 failed"
}
login() {  # login USERNAME PASSWORD: prints a session token
  curl_api POST /api/v1/session "" "{\"username\":\"$1\",\"password\":\"$2\"}" >"$tmp/login.json"
  json_get "$tmp/login.json" token
}
admin_pw() { json_get "$tmp/admin-passwords.json" "$1"; }  # admin_pw ROLE

# scratch_dir NAME: a scratch directory in $tmp for this run (removed at exit, with the server
# stopped first), files private to this user.
scratch_dir() {
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/baomi-$1.XXXXXX")
  server_pid=""
  trap 'stop_server; rm -rf "$tmp"' EXIT
  trap 'exit 130' INT TERM
  umask 077
}

# bench_document LEVEL: one document of the bench reader (bench_reader) at LEVEL, in finance,
# custodian the reader; sets doc_id. Its metadata is what bench/run.sh's small read returns
# (and nginx serves as the peer's file), the same in every script so figures compare.
bench_document() {
  curl_api POST /api/v1/documents "$token" \
    "{\"title\":\"benchmark document\",\"level\":\"$1\",\"categories\":[\"finance\"],\"custodian_id\":\"$user_id\",\"secret_until\":\"2030-12-31T00:00:00Z\",\"description\":\"bench/run.sh\"}" \
    >"$tmp/doc.json"
  doc_id=$(json_get "$tmp/doc.json" id)
}

# find_binary: sets baomi to $BAOMI_BINARY, else build/bench/baomi, else build/test/baomi; fails
# (through the caller's die) when it is not there.
find_binary() {
  baomi=${BAOMI_BINARY:-}
  if [[ -z "$baomi" ]]; then
    baomi=$root/build/bench/baomi
    [[ -x "$baomi" ]] || baomi=$root/build/test/baomi
  fi
  [[ -x "$baomi" ]] || die "$baomi is missing"
}
