#!/usr/bin/env bash
# Dependency audit: every pinned package (requirements.txt, requirements-dev.txt) checked by
# pip-audit against PyPI's vulnerability data. Where that data cannot be reached (a machine
# without the internet, or a mirror that serves packages but not per-release data), the
# audit is skipped with a note saying so, and does not fail the run; a known vulnerability does.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
say() { printf '==> %s\n' "$*" >&2; }

AUDIT_VERSION=2.10.1
probe="https://pypi.org/pypi/django/$(sed -n 's/^Django==//p' requirements.txt)/json"
status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 15 "$probe" || true)
if [ "$status" != 200 ]; then
  say "Dependency audit SKIPPED: PyPI's vulnerability data is out of reach ($probe answered ${status:-nothing})."
  exit 0
fi
venv=.cache/pip-audit-$AUDIT_VERSION
[ -x "$venv/bin/pip-audit" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q "pip-audit==$AUDIT_VERSION"; }
say "Dependency audit (pip-audit $AUDIT_VERSION)"
# The files pin every package, so they are audited as written: no resolver, no install.
"$venv/bin/pip-audit" --strict --no-deps --disable-pip --progress-spinner off \
  -r requirements.txt -r <(grep -v '^-r ' requirements-dev.txt)
