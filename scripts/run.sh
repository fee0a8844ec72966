#!/usr/bin/env bash
# make run: set up, start Redis and Elasticsearch, migrate, create the admin account,
# then run the web app (http://127.0.0.1:8000), a Celery worker and the scheduler under
# supervisord (deploy/supervisord.conf), which restarts any of them that dies.
# Ctrl-C or SIGTERM stops everything this script started, and nothing else.
#
# The web app is served as in production: gunicorn, DEBUG off, static files collected
# into STATIC_ROOT and served by WhiteNoise. `make dev` (this script with --dev) runs
# Django's autoreloading development server with DEBUG=1 instead, for contributors.
#
# Environment (all optional): WEB_PORT (8000), DATABASE_URL (SQLite db.sqlite3),
# CELERY_BROKER_URL, ELASTICSEARCH_INDEX_PREFIX, NEWSARCHIVE_RUN_DIR (logs, socket and
# schedule; .var/run), NEWSARCHIVE_WEB=false to run without the web app, DEBUG (off;
# on with --dev), SECRET_KEY (generated once into .env when unset), ADMIN_USER (admin) and
# ADMIN_PASSWORD (generated and printed once when unset) for the first admin account.
set -euo pipefail
DEV=0
case "${1:-}" in
  --dev) DEV=1 ;;
  "") ;;
  *) printf 'usage: %s [--dev]\n' "$0" >&2; exit 2 ;;
esac
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
bash scripts/setup.sh
source scripts/services.sh

supervisor_pid=
cleanup() {
  # A second Ctrl-C or SIGTERM (a service manager's, or `timeout`'s to the whole group) must not
  # cut the cleanup short and leave Redis or Elasticsearch running: ignored from here on.
  trap '' INT TERM
  trap - EXIT
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

PY=.venv/bin/python
# make run's own settings, kept in the git-ignored .env so that manage.py commands run in
# another terminal see the same configuration: a SECRET_KEY generated once (DEBUG is off).
# Real environment variables win over the file.
if ! grep -qs '^SECRET_KEY=' .env; then
  [ -f .env ] || printf '# Written by make run (git-ignored); real environment variables win.\n' > .env
  printf 'SECRET_KEY=%s\n' "$($PY -c 'import secrets; print(secrets.token_urlsafe(50))')" >> .env
fi
# The DEBUG=1 that an older make run wrote here: make run serves with DEBUG off now.
sed -i '/^# Written by make run for local development\.$/{n;/^DEBUG=1$/d}' .env
if [ "$DEV" = 1 ]; then
  export DEBUG=1
else
  export DEBUG=${DEBUG:-0}
fi
# This stack serves plain HTTP on loopback: opt out of the HTTPS-only defaults here only.
export SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 SECURE_HSTS_SECONDS=0
# It answers on the loopback names, also when the environment names other hosts (the
# settings' production default, 127.0.0.1 and localhost only, is left as it is).
export ALLOWED_HOSTS=${ALLOWED_HOSTS:+$ALLOWED_HOSTS,}127.0.0.1,localhost
export ELASTICSEARCH_URL=${ELASTICSEARCH_URL:-http://127.0.0.1:$ES_PORT}
export CELERY_BROKER_URL=${CELERY_BROKER_URL:-redis://127.0.0.1:$REDIS_PORT/0}
export WEB_PORT=${WEB_PORT:-8000}
export NEWSARCHIVE_WEB=${NEWSARCHIVE_WEB:-true}
export NEWSARCHIVE_RUN_DIR=${NEWSARCHIVE_RUN_DIR:-$VAR/run}
export NEWSARCHIVE_PYTHON=$ROOT/.venv/bin/python
# Links in alert emails point here; with DEBUG off and no mail server on loopback, digests
# are printed to the log unless EMAIL_BACKEND says otherwise.
export SITE_URL=${SITE_URL:-http://127.0.0.1:$WEB_PORT}
export EMAIL_BACKEND=${EMAIL_BACKEND:-django.core.mail.backends.console.EmailBackend}
# The run's services and data in .env too (ES_PORT and REDIS_PORT may move the services), so
# that manage.py in another terminal queues work for this worker and searches this index.
# A variable left unset here has no line, and its default applies there as here.
for name in ELASTICSEARCH_URL CELERY_BROKER_URL DATABASE_URL ELASTICSEARCH_INDEX_PREFIX; do
  sed -i "/^$name=/d" .env
  [ -z "${!name:-}" ] || printf '%s=%s\n' "$name" "${!name}" >> .env
done
chmod 600 .env
mkdir -p "$NEWSARCHIVE_RUN_DIR"
ADMIN_USER=${ADMIN_USER:-admin}

$PY manage.py migrate --noinput
# The default SQLite database is readable by this user only (SQLite gives its -wal and -shm
# files the database file's mode).
[ ! -e db.sqlite3 ] || chmod 600 db.sqlite3
# The first run creates the admin with a generated password, printed once (or ADMIN_PASSWORD,
# read from the environment); later runs leave it alone.
$PY manage.py ensure_admin --username "$ADMIN_USER"
$PY manage.py sync_index
# gunicorn serves static files through WhiteNoise from STATIC_ROOT (the dev server finds them itself).
[ "$DEV" = 1 ] || $PY manage.py collectstatic --noinput -v 0

# make dev: supervisord keeps gunicorn off; the development server is started once it is up.
dev_web=false
if [ "$DEV" = 1 ] && [ "$NEWSARCHIVE_WEB" = true ]; then
  dev_web=true
  export NEWSARCHIVE_WEB=false
fi
SUPERVISORCTL=(.venv/bin/supervisorctl -c deploy/supervisord.conf)
.venv/bin/supervisord -c deploy/supervisord.conf &
supervisor_pid=$!
if [ "$dev_web" = true ]; then
  wait_for 60 "the development server" "${SUPERVISORCTL[@]}" start web-dev \
    || fail "the development server did not start; see the output above"
fi
say "newsarchive is up: http://127.0.0.1:$WEB_PORT  (admin: http://127.0.0.1:$WEB_PORT/admin/ as $ADMIN_USER, with the password printed when the account was created)"
say "Processes: NEWSARCHIVE_RUN_DIR=$NEWSARCHIVE_RUN_DIR ${SUPERVISORCTL[*]} status"
say "Press Ctrl-C to stop."
wait "$supervisor_pid"
