#!/usr/bin/env bash
# Backup throughput (issue 15): `baomi backup` of a populated SQLite instance while its server
# runs, next to a plain `cp` of the same database file (and `cp` + `sync`, since the backup
# fsyncs what it writes), and `baomi restore` of the result. The instance holds MIB MiB of
# encrypted documents (uploaded through the API) and a trail of a few hundred entries. Each
# figure is the median of REPS runs; MB/s is the database file's size over the wall time.
# Prints a markdown table; docs/benchmarks.md quotes it.
#
# Usage: bench/backup.sh [--mib N] [--reps N]
# Environment: BAOMI_BINARY  the baomi executable (default build/bench/baomi, else build/test/baomi)
#              BAOMI_BENCH_KEEP=1  keep the instance (its directory is printed) for a closer look
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
mib=256 reps=5
while (($#)); do
  case "$1" in
    --mib) mib=${2:?}; shift ;;
    --reps) reps=${2:?}; shift ;;
    -h | --help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "backup.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
die() { echo "backup.sh: FAILED: $*" >&2; exit 1; }
find_binary

tmp=$(mktemp -d "${TMPDIR:-/tmp}/baomi-backup-bench.XXXXXX")
server_pid=""
curl_max_time=600
cleanup() {
  stop_server
  if [[ -n "${BAOMI_BENCH_KEEP:-}" ]]; then echo "kept $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

init_instance
start_server
bench_reader  # lib.sh: a custodian with top-secret clearance and every category
uid=$user_id
head -c $((16 << 20)) /dev/urandom >"$tmp/part.bin"
for ((n = 0; n < mib / 16; n++)); do
  curl_api POST /api/v1/documents "$token" \
    "{\"title\":\"bench $n\",\"level\":\"secret\",\"categories\":[\"finance\"],\"custodian_id\":\"$uid\",\"secret_until\":\"2030-12-31T00:00:00Z\",\"description\":\"bench/backup.sh\"}" \
    >"$tmp/doc.json"
  doc=$(json_get "$tmp/doc.json" id)
  curl -sk --max-time 600 --fail-with-body -X PUT -T "$tmp/part.bin" \
    -H "Authorization: Bearer $token" -H 'Content-Type: application/octet-stream' \
    "$api/api/v1/documents/$doc/content" >/dev/null || die "upload"
  curl_api GET "/api/v1/documents/$doc" "$token" >/dev/null
done
db=$tmp/data/baomi.db
bytes=$(stat -c %s "$db")

seconds() {  # seconds CMD...: wall time of one run
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >/dev/null
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
run_backup() { "$baomi" backup --data "$tmp/data" --keys "$tmp/keys" -o "$tmp/out.bak"; }
run_cp() { cp "$db" "$tmp/out.db"; }
run_cp_sync() { cp "$db" "$tmp/out.db" && sync "$tmp/out.db"; }
run_restore() {
  "$baomi" restore "$tmp/out.bak" --data "$tmp/restored" --public-key "$tmp/keys/audit.pub"
}
declare -A med
for what in backup cp cp_sync restore; do
  : >"$tmp/times"
  for ((r = 0; r < reps; r++)); do
    case $what in
      restore) rm -rf "$tmp/restored" ;;
      backup) rm -f "$tmp/out.bak" ;;
      *) rm -f "$tmp/out.db" ;;
    esac
    [[ $what == restore && ! -f "$tmp/out.bak" ]] && run_backup >/dev/null
    sync
    seconds "run_$what" >>"$tmp/times"
  done
  med[$what]=$(median <"$tmp/times")
done
entries=$("$baomi" audit verify --data "$tmp/restored" --public-key "$tmp/keys/audit.pub" |
  sed -nE 's/^ok: ([0-9]+) entries.*/\1/p')
mbps() { echo "scale=0; $bytes / 1000000 / $1" | bc -l; }
echo "database: $bytes bytes, trail $entries entries; median of $reps runs; server running, idle"
echo
echo "| operation | median wall | MB/s |"
echo "|---|---|---|"
printf '| `cp baomi.db` | %.3f s | %s |\n' "${med[cp]}" "$(mbps "${med[cp]}")"
printf '| `cp baomi.db` + `sync` | %.3f s | %s |\n' "${med[cp_sync]}" "$(mbps "${med[cp_sync]}")"
printf '| `baomi backup` | %.3f s | %s |\n' "${med[backup]}" "$(mbps "${med[backup]}")"
printf '| `baomi restore` | %.3f s | %s |\n' "${med[restore]}" "$(mbps "${med[restore]}")"
