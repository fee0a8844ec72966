#!/usr/bin/env bash
# make run: set up, start Redis and Elasticsearch, migrate, create the admin account,
# then run the web app (http://127.0.0.1:8000) and a Celery worker in the foreground.
# Ctrl-C or SIGTERM stops everything this script started, and nothing else.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
bash scripts/setup.sh
source scripts/services.sh

children=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${children[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  stop_started
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start_services redis elasticsearch

# Local development settings, kept in the git-ignored .env so that manage.py commands
# run in another terminal see the same configuration.
[ -f .env ] || printf '# Written by make run for local development.\nDEBUG=1\n' > .env
export ELASTICSEARCH_URL=${ELASTICSEARCH_URL:-http://127.0.0.1:$ES_PORT}
export CELERY_BROKER_URL=${CELERY_BROKER_URL:-redis://127.0.0.1:$REDIS_PORT/0}
ADMIN_USER=${ADMIN_USER:-admin}
ADMIN_PASSWORD=${ADMIN_PASSWORD:-admin}
PY=.venv/bin/python

$PY manage.py migrate --noinput
$PY manage.py ensure_admin --username "$ADMIN_USER" --password "$ADMIN_PASSWORD"
$PY manage.py sync_index

.venv/bin/celery -A newsarchive worker --beat --concurrency 2 --loglevel INFO \
  --schedule "$VAR/celerybeat-schedule" &
children+=($!)
$PY manage.py runserver 127.0.0.1:8000 &
children+=($!)
say "newsarchive is up: http://127.0.0.1:8000  (admin: http://127.0.0.1:8000/admin/ as $ADMIN_USER / $ADMIN_PASSWORD)"
say "Press Ctrl-C to stop."
wait -n "${children[@]}"
