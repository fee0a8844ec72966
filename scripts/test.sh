#!/usr/bin/env bash
# make test: set up, start Redis, PostgreSQL and Elasticsearch, run the whole suite
# against them, then stop what this script started. Extra arguments go to pytest.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
bash scripts/setup.sh --test
source scripts/services.sh
trap stop_started EXIT

# With no arguments: first the fast tier, before any service is started (it needs none),
# the dependency audit, then the integration tier against real services.
if [ $# -eq 0 ]; then
  say "Fast tier: tests/unit (no services)"
  DEBUG=1 .venv/bin/python -m pytest tests/unit
  bash scripts/audit.sh
  set -- --ignore=tests/unit
fi

start_services redis postgres elasticsearch

export DEBUG=1
# Plain HTTP on loopback: opt out of the HTTPS-only defaults in this environment only.
export SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 SECURE_HSTS_SECONDS=0
export DATABASE_URL=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:$PG_PORT/newsarchive}
export ELASTICSEARCH_URL=http://127.0.0.1:$ES_PORT
export ELASTICSEARCH_INDEX_PREFIX=${TEST_INDEX_PREFIX:-test-newsarchive}
export CELERY_BROKER_URL=redis://127.0.0.1:$REDIS_PORT/${TEST_REDIS_DB:-15}
export RECONCILE_INTERVAL=2 RECONCILE_GRACE=10
# The scheduler's resolver would join entities of one test's archive while another test
# counts them: the tests that need it run it (tests/test_resolution.py), the scheduler waits an hour.
export RESOLVE_INTERVAL=3600
# Thousands of requests from one address in minutes: the limits are set out of reach here, and
# the tests of the limits (tests/test_rate_limits_and_timeouts.py, the flood drill) set their own.
export SEARCH_RATE_LIMIT=100000/m API_RATE_LIMIT=100000/m LOGIN_RATE_LIMIT=100000/m UPLOAD_RATE_LIMIT=100000/h
export SCREENSHOT_DIR=${SCREENSHOT_DIR:-$VAR/screenshots}

set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
# pytest exits 5 when it collected no test: that is a failure here, not a pass.
exit $status
