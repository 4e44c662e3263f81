#!/usr/bin/env bash
# Pairs two builds' `baomi audit verify` (the whole command) on one trail, taking turns: each
# run gets a fresh copy of the instance (a newer build may upgrade the schema of what it opens),
# one untimed run first (page cache, one-time steps), then the timed one. Prints wall and CPU
# (user + system) seconds and the verdict line of each run.
# Usage: bench/verify_pair.sh OLD_BAOMI NEW_BAOMI INSTANCE_DIR [ROUNDS]
#   INSTANCE_DIR holds data/ and keys/ of a stopped instance with a trail (e.g. made by
#   `wrk` small reads against a server of bench/read_profile.sh's kind).
set -euo pipefail
old=$1 new=$2 src=$3 rounds=${4:-5}
[[ -d "$src/data" && -d "$src/keys" ]] || { echo "verify_pair: $src has no data/ and keys/" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for ((i = 1; i <= rounds; i++)); do
  for which in old new; do
    bin=${!which}
    rm -rf "$work/i" && cp -r "$src" "$work/i"
    "$bin" audit verify --data "$work/i/data" --keys "$work/i/keys" >/dev/null 2>&1 || true
    { TIMEFORMAT='%3R %3U %3S'
      time "$bin" audit verify --data "$work/i/data" --keys "$work/i/keys" >"$work/out" 2>&1; } 2>"$work/t"
    read -r real user sys <"$work/t"
    echo "$which wall $real cpu $(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.3f", u + s}') $(head -1 "$work/out" | cut -c1-60)"
  done
done
