#!/usr/bin/env bash
# make benchmark / benchmark-search / benchmark-resolution / benchmark-alerts / benchmark-batches: start the
# services and run one benchmark (`python -m benchmarks.<NAME>`, the top-level benchmarks/
# package, not part of the product) on its own PostgreSQL database, index prefix and Redis
# database, with production settings (DEBUG off, as the stack it measures runs; plain HTTP on
# loopback). Extra arguments go to the benchmark; see `python -m benchmarks.<NAME> --help`.
#
#   bash scripts/benchmark.sh enrichment --limit 20000
#   bash scripts/benchmark.sh search --passes 10
#   bash scripts/benchmark.sh alerts --searches 1000
#   bash scripts/benchmark.sh batches --lines 1000
#
# alerts and batches run on the search benchmark's database, index and Redis database (they
# need its archive; alerts writes nothing, batches removes the reader and batch it adds): run
# `make benchmark-search` first.
#
# Environment (optional): BENCHMARK_DB (newsarchive_benchmark_<NAME>), BENCHMARK_PREFIX
# (benchmark-<NAME>), BENCHMARK_REDIS_DB (14 for enrichment, 13 for search, alerts and batches, 12 for
# resolution, 11 for export, 10 for stories).
set -euo pipefail
NAME=${1:?usage: scripts/benchmark.sh enrichment|search|resolution|alerts|batches|export|stories [ARGS...]}
shift
data=$NAME
case "$NAME" in
  enrichment) redis_db=14 ;;
  search) redis_db=13 ;;
  resolution) redis_db=12 ;;
  alerts|batches) redis_db=13 data=search ;;
  export) redis_db=11 ;;
  stories) redis_db=10 ;;
  *) printf 'unknown benchmark %s (enrichment, search, resolution, alerts, batches, export or stories)\n' "$NAME" >&2; exit 2 ;;
esac
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
bash scripts/setup.sh
source scripts/services.sh
trap stop_started EXIT
start_services redis postgres elasticsearch
DB=${BENCHMARK_DB:-newsarchive_benchmark_$data}
export DEBUG=0
export SECRET_KEY=${SECRET_KEY:-$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')}
export SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 SECURE_HSTS_SECONDS=0
export DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/$DB
export ELASTICSEARCH_URL=http://127.0.0.1:$ES_PORT
export ELASTICSEARCH_INDEX_PREFIX=${BENCHMARK_PREFIX:-benchmark-$data}
export CELERY_BROKER_URL=redis://127.0.0.1:$REDIS_PORT/${BENCHMARK_REDIS_DB:-$redis_db}
# The benchmark's clients are one address sending thousands of requests a minute: it measures
# the app's speed, not its per-client limits (tests/test_flood_drill.py checks those).
export SEARCH_RATE_LIMIT=${SEARCH_RATE_LIMIT:-1000000/m} API_RATE_LIMIT=${API_RATE_LIMIT:-1000000/m}
"$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$DB" 2>/dev/null || true
.venv/bin/python manage.py migrate --noinput -v 0
.venv/bin/python -m "benchmarks.$NAME" "$@"
