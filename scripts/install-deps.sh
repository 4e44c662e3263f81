#!/usr/bin/env bash
# Installs Baomi's build, test and benchmark dependencies from Debian packages (idempotent).
set -euo pipefail

packages=(
  build-essential cmake ninja-build lld ccache pkg-config clang-format
  libboost1.81-all-dev libboost-json1.81-dev
  libssl-dev libsodium-dev libgfshare-dev libsqlite3-dev sqlite3 libyaml-cpp-dev libyaml-dev libcli11-dev
  libgoogle-perftools-dev
  libpq-dev postgresql haproxy
  libfaketime
  libgtest-dev libgmock-dev libbenchmark-dev
  libcairo2-dev libpango1.0-dev libqpdf-dev libpoppler-cpp-dev fonts-noto-cjk poppler-utils
  curl openssl python3 python3-cryptography procps
  clang libclang-rt-dev
  chromium chromium-driver python3-selenium
)
# slowhttptest: bench/slowhttp.sh (the attack of docs/reliability.md), not the test suite.
if [[ "${BAOMI_BENCH_DEPS:-0}" == 1 ]]; then packages+=(nginx wrk slowhttptest); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
[[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
