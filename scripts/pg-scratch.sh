#!/usr/bin/env bash
# A throw-away PostgreSQL for tests (never a mock): Debian's `postgresql` binaries, a cluster in a
# scratch directory, a free loopback port, TLS on (self-signed), torn down afterwards.
#
#   scripts/pg-scratch.sh start DIR   prints the superuser URL; DIR/url holds it too
#   scripts/pg-scratch.sh stop DIR    stops the server and removes DIR
#
# DIR/url        postgresql://baomi@127.0.0.1:PORT/postgres (trust auth on loopback only)
# DIR/data       the cluster's data directory (tests grep it for plaintext markers)
# DIR/bindir     the directory of pg_ctl, pg_dump, ...
# DIR/server.crt the server's certificate (sslrootcert for sslmode=verify-full, host 127.0.0.1)
# DIR/other-ca.crt a certificate that does not vouch for the server
#
# initdb refuses to run as root, so as root the cluster belongs to a system user (baomi-pg,
# created once); otherwise to the caller. The ctest fixture `postgres` runs this (tests/CMakeLists.txt).
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
action=$1
dir=$2

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[[ -x "$bindir/initdb" ]] || { echo "pg-scratch: no initdb (run scripts/install-deps.sh)" >&2; exit 1; }

run_as=()
if [[ $(id -u) -eq 0 ]]; then
  user=baomi-pg
  if ! getent passwd "$user" >/dev/null; then
    # Two build trees may race here; the loser finds the user made by the winner.
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$user" \
      2>/dev/null || getent passwd "$user" >/dev/null
  fi
  run_as=(runuser -u "$user" --)
fi

stop() {
  if [[ -f "$dir/data/postmaster.pid" ]]; then
    "${run_as[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  if [[ -L "$dir/private" ]]; then rm -rf "$(readlink "$dir/private")"; fi
  rm -rf "$dir"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
  stop
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  # The cluster user must reach DIR: when a parent is closed to others, the cluster lives in a
  # private directory under /tmp instead, and DIR/data is a link to it.
  local data=$dir/data socket=$dir/socket
  if [[ ${#run_as[@]} -gt 0 ]] && ! "${run_as[@]}" test -x "$dir"; then
    local private
    private=$(mktemp -d /tmp/baomi-pg.XXXXXX)
    chmod 755 "$private"
    data=$private/data
    socket=$private/socket
    ln -s "$private" "$dir/private"
    ln -s "$data" "$dir/data"
  fi
  mkdir -p "$data" "$socket"
  [[ ${#run_as[@]} -eq 0 ]] || chown "$user" "$data" "$socket"
  chmod 700 "$data"
  "${run_as[@]}" "$bindir/initdb" -D "$data" -U baomi --auth=trust -E UTF8 --locale=C.UTF-8 \
    >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  # TLS on, so that tests can ask for it (sslmode=require / verify-full against server.crt).
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
    -keyout "$data/server.key" -out "$data/server.crt" >/dev/null 2>&1
  [[ ${#run_as[@]} -eq 0 ]] || chown "$user" "$data/server.key" "$data/server.crt"
  chmod 600 "$data/server.key"
  cp "$data/server.crt" "$dir/server.crt"
  # A certificate that does not vouch for the server (tests of sslmode=verify-full refusing).
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=other \
    -keyout /dev/null -out "$dir/other-ca.crt" >/dev/null 2>&1
  # Loopback only, trust auth (pg_hba from initdb --auth=trust); fsync stays on: tests check
  # durability claims. Enough connections for two test processes with their pools.
  # No checkpoints while the suite runs: its hundreds of CREATE DATABASE write gigabytes of WAL,
  # and a checkpoint every 1 GB (the default) flushed every database's files under the tests.
  # Commits still wait for their WAL to be synced; nothing streams WAL, so it is kept minimal.
  cat >>"$data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$socket'
max_connections = 200
shared_buffers = 32MB
max_wal_size = 4GB
checkpoint_timeout = 1h
wal_level = minimal
max_wal_senders = 0
ssl = on
ssl_cert_file = 'server.crt'
ssl_key_file = 'server.key'
EOF
  local port tries=0
  while :; do
    port=$(free_port)
    if "${run_as[@]}" "$bindir/pg_ctl" -D "$data" -o "-p $port" -l "$data/server.log" -w -t 60 \
      start >/dev/null 2>&1; then
      break
    fi
    tries=$((tries + 1))
    # Another process may have taken the port between the probe and the start: try another.
    if ((tries >= 5)); then cat "$data/server.log" >&2; exit 1; fi
  done
  echo "$bindir" >"$dir/bindir"
  echo "postgresql://baomi@127.0.0.1:$port/postgres" | tee "$dir/url"
}

case $action in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
