#!/usr/bin/env bash
# Install what the project needs on a fresh Debian machine of this kind, idempotently:
# Debian packages (Redis, PostgreSQL, the en_US hunspell dictionary, Chromium for the
# browser tests), then the Python virtualenv with the pinned requirements.
# Usage: scripts/setup.sh [--test]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
say() { printf '==> %s\n' "$*" >&2; }
fail() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

packages=(redis-server redis-tools postgresql hunspell-en-us curl python3-venv)
[ "${1:-}" = "--test" ] && packages+=(chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || fail "missing Debian packages ${missing[*]}; run as root or install them."
  say "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || fail "apt-get update failed (is the Debian mirror reachable?)"
  apt-get install -y -qq "${missing[@]}" >/dev/null || fail "apt-get install ${missing[*]} failed."
fi

ES_JAVA_HOME=${ES_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
"$ES_JAVA_HOME/bin/java" -version >/dev/null 2>&1 \
  || fail "Java 21+ is needed for Elasticsearch 9 and was not found at $ES_JAVA_HOME (set ES_JAVA_HOME)."
command -v mvn >/dev/null || fail "Maven (mvn) is needed to fetch Elasticsearch from Maven Central."

# The virtualenv's interpreter: Debian's CPython, linked statically, rather than the first
# python3 on PATH, here a pyenv build that loads libpython as a shared library: serving
# /api/search, gunicorn took less CPU per request with Debian's (docs/performance.md,
# "Interpreter"). PYTHON chooses another; a virtualenv made from another is made again.
python=${PYTHON:-/usr/bin/python3}
command -v "$python" >/dev/null || python=python3
base() { "$1" -c 'import sys; print(sys.base_prefix, sys.version)'; }
if [ -x .venv/bin/python ] && [ "$(base .venv/bin/python)" != "$(base "$python")" ]; then
  say "Making the virtualenv again with $python"
  rm -rf .venv
fi

requirements=requirements.txt
[ "${1:-}" = "--test" ] && requirements=requirements-dev.txt
digest=$(cat requirements.txt requirements-dev.txt | sha256sum | cut -c1-16)
stamp=".venv/.installed-$digest-$requirements"
# The test requirements include the runtime ones: either stamp satisfies `make run`.
if [ ! -f "$stamp" ] && [ ! -f ".venv/.installed-$digest-requirements-dev.txt" ]; then
  [ -x .venv/bin/python ] || { say "Creating the virtualenv in .venv ($python)"; "$python" -m venv .venv; }
  say "Installing Python requirements ($requirements)"
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -r "$requirements" || fail "pip install -r $requirements failed."
  rm -f .venv/.installed-*
  touch "$stamp"
fi
