#!/usr/bin/env bash
# make run: set up, start Redis and Elasticsearch, migrate, create the admin account,
# then run the web app (http://127.0.0.1:8000), a Celery worker and the scheduler under
# supervisord (deploy/supervisord.conf), which restarts any of them that dies.
# Ctrl-C or SIGTERM stops everything this script started, and nothing else.
#
# Environment (all optional): WEB_PORT (8000), DATABASE_URL (SQLite db.sqlite3),
# CELERY_BROKER_URL, ELASTICSEARCH_INDEX_PREFIX, NEWSARCHIVE_RUN_DIR (logs, socket and
# schedule; .var/run), NEWSARCHIVE_WEB=false to run without the web app.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
bash scripts/setup.sh
source scripts/services.sh

supervisor_pid=
cleanup() {
  trap - INT TERM EXIT
  if [ -n "$supervisor_pid" ]; then
    kill "$supervisor_pid" 2>/dev/null || true  # supervisord stops its programs, then itself
    wait "$supervisor_pid" 2>/dev/null || true
  fi
  stop_started
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start_services redis elasticsearch

# Local development settings, kept in the git-ignored .env so that manage.py commands
# run in another terminal see the same configuration.
[ -f .env ] || printf '# Written by make run for local development.\nDEBUG=1\n' > .env
# This stack serves plain HTTP on loopback: opt out of the HTTPS-only defaults here only.
export SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 SECURE_HSTS_SECONDS=0
export ELASTICSEARCH_URL=${ELASTICSEARCH_URL:-http://127.0.0.1:$ES_PORT}
export CELERY_BROKER_URL=${CELERY_BROKER_URL:-redis://127.0.0.1:$REDIS_PORT/0}
export WEB_PORT=${WEB_PORT:-8000}
export NEWSARCHIVE_WEB=${NEWSARCHIVE_WEB:-true}
export NEWSARCHIVE_RUN_DIR=${NEWSARCHIVE_RUN_DIR:-$VAR/run}
export NEWSARCHIVE_PYTHON=$ROOT/.venv/bin/python
mkdir -p "$NEWSARCHIVE_RUN_DIR"
ADMIN_USER=${ADMIN_USER:-admin}
ADMIN_PASSWORD=${ADMIN_PASSWORD:-admin}
PY=.venv/bin/python

$PY manage.py migrate --noinput
$PY manage.py ensure_admin --username "$ADMIN_USER" --password "$ADMIN_PASSWORD"
$PY manage.py sync_index

.venv/bin/supervisord -c deploy/supervisord.conf &
supervisor_pid=$!
say "newsarchive is up: http://127.0.0.1:$WEB_PORT  (admin: http://127.0.0.1:$WEB_PORT/admin/ as $ADMIN_USER / $ADMIN_PASSWORD)"
say "Processes: NEWSARCHIVE_RUN_DIR=$NEWSARCHIVE_RUN_DIR .venv/bin/supervisorctl -c deploy/supervisord.conf status"
say "Press Ctrl-C to stop."
wait "$supervisor_pid"
