# Shell helpers shared by bench/run.sh and bench/engines.sh (sourced, not run).

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
