#!/usr/bin/env bash
# One command for a new user: install dependencies, build, create (or reuse) the demo instance
# with its demo organisation, and serve it over HTTPS on localhost.
#   scripts/demo.sh [PORT]      (default 8443)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
port=${1:-8443}
data="$root/instance"
keys="$root/keys"
baomi="$root/build/release/baomi"

"$root/scripts/install-deps.sh"
# The same compiler flags as the test build (scripts/test.sh): the demo runs exactly the code CI
# compiles and tests (an -O3 Release build once broke on a GCC false-positive warning that no
# test build saw), and after a test run every object comes from the compiler cache.
"$root/scripts/build.sh" "$root/build/release" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBAOMI_TESTS=OFF \
  -DBAOMI_BENCH=OFF -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG"

demo_password_file="$data/demo-passwords.json"
if [[ ! -f "$data/baomi.db" && -f "$keys/master.key" ]]; then
  echo "demo: keys/ holds the keys of a demo instance whose data (instance/) is gone." >&2
  echo "demo: remove keys/master.key keys/audit-signing.key keys/audit.pub keys/tls.* to start afresh." >&2
  exit 1
fi
if [[ ! -f "$data/baomi.db" ]]; then
  mkdir -p "$data"
  chmod 700 "$data"
  # Passwords of the demo instance: random once, kept beside it (git-ignored, mode 0600).
  umask 077
  python3 - "$demo_password_file" <<'PY'
import json, secrets, sys
words = lambda: secrets.token_urlsafe(12)
json.dump({"sysadmin": words(), "secadmin": words(), "auditor": words(), "staff": words()},
          open(sys.argv[1], "w"), indent=2)
PY
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d.pop("staff"); json.dump(d, open(sys.argv[2], "w"))' \
    "$demo_password_file" "$data/admin-passwords.json"
  "$baomi" init --data "$data" --keys "$keys" --admin-passwords "$data/admin-passwords.json" >/dev/null
  rm -f "$data/admin-passwords.json"
  staff_password=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["staff"])' "$demo_password_file")
  "$baomi" demo load --data "$data" --keys "$keys" --password "$staff_password" \
    --leak-file "$root/instance/leaked-excerpt.txt"
fi

python3 - "$demo_password_file" "$port" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
port = sys.argv[2]
print(f"""
Baomi demo instance — https://localhost:{port}/  (self-signed certificate: curl -k, or trust keys/tls.crt)

Web console: open https://localhost:{port}/ in a browser (accept the self-signed certificate, or
          trust keys/tls.crt) and log in as li.na with password {p['staff']}; as zhao.lei to
          approve; as auditor to verify the trail. Chinese by default, English in the top bar.

API:      curl -k -X POST https://localhost:{port}/api/v1/session \\
            -H 'Content-Type: application/json' -d '{{"username":"li.na","password":"{p['staff']}"}}'
Then:     curl -k -H "Authorization: Bearer TOKEN" https://localhost:{port}/api/v1/documents
Approvals: log in as zhao.lei or liu.yang and GET /api/v1/requests?status=pending&approvable=true
          (li.na asked to print the key-account list; zhou.qiang asked for access to a manual),
          POST /api/v1/requests/ID/approve, then as li.na POST /api/v1/copies {{"request_id":"ID"}}
          and GET /api/v1/copies/SERIAL/artifact (a marked PDF).

Command line (docs/cli.md): the same executable is the client.
          export BAOMI_ADDR=https://localhost:{port} BAOMI_CACERT=keys/tls.crt
          export BAOMI_TOKEN=$(build/release/baomi login li.na)      # prompts for the password
          build/release/baomi docs ls;  build/release/baomi requests ls;  build/release/baomi --help
          The auditor: baomi investigate open --title 聊天外泄 --reason 群聊截图, then
          baomi investigate add-evidence CASE instance/leaked-excerpt.txt (names the holder).

Leak investigation (S10): instance/leaked-excerpt.txt is text someone pasted into a chat. In
          the console, log in as auditor, open 泄密调查, 立案, and drop the file onto the case.
          Or log in as auditor (POST /api/v1/session) and open a case with it as evidence:
          curl -k -X POST https://localhost:{port}/api/v1/investigations -H "Authorization: Bearer TOKEN" \\
            -H 'Content-Type: text/plain; charset=utf-8' --data-binary @instance/leaked-excerpt.txt
          The answer names the excerpt's serial and its holder (chen.jing); GET
          /api/v1/investigations/ID/bundle downloads the signed evidence bundle, checked offline by
          build/release/baomi evidence verify FILE --public-key keys/audit.pub.

Demo staff (password {p['staff']}):
  liu.yang   custodian     top_secret    all categories
  chen.jing  manager       confidential  business_decisions, personnel, contracts_customers, finance (centre)
  zhao.lei   supervisor    confidential  contracts_customers, technology
  li.na      group_leader  secret        contracts_customers
  zhou.qiang staff         secret        bidding
  wang.fang  staff         internal
  sun.mei    front_desk    internal      (has not accepted the pledge: POST /api/v1/me/pledge)
Administrators: sysadmin {p['sysadmin']}   secadmin {p['secadmin']}   auditor {p['auditor']}
Passwords are kept in instance/demo-passwords.json. Stop with Ctrl-C; run this again to reuse the instance.
""")
PY
exec "$baomi" serve --data "$data" --keys "$keys" --listen "127.0.0.1:$port"
