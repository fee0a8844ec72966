#!/usr/bin/env bash
# make benchmark: start the services and run the enrichment benchmark on its own
# PostgreSQL database and index. Extra arguments go to the script (e.g. --limit 2000).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
bash scripts/setup.sh
source scripts/services.sh
trap stop_started EXIT
start_services redis postgres elasticsearch
export DEBUG=1
export DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/newsarchive_benchmark
export ELASTICSEARCH_URL=http://127.0.0.1:$ES_PORT
export ELASTICSEARCH_INDEX_PREFIX=benchmark
export CELERY_BROKER_URL=redis://127.0.0.1:$REDIS_PORT/14
"$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres newsarchive_benchmark 2>/dev/null || true
.venv/bin/python manage.py migrate --noinput -v 0
.venv/bin/python manage.py benchmark_enrichment "$@"
