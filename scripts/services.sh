# Sourced by scripts/run.sh and scripts/test.sh: start the services the app needs,
# wait until each is healthy, say clearly what failed, and stop only what we started.
# Everything lives under .var/ (data, logs) and .cache/ (downloads), both git-ignored.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SERVICE_USER=${SERVICE_USER:-newsarchive}
ES_VERSION=${ES_VERSION:-9.3.2}
ES_PORT=${ES_PORT:-9200}
REDIS_PORT=${REDIS_PORT:-6379}
PG_PORT=${PG_PORT:-5433}
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
STARTED=()

say() { printf '==> %s\n' "$*" >&2; }
fail() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...
  local seconds=$1 what=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.5
  done
}

check_disk() {
  local free_mb
  free_mb=$(df -Pm "$ROOT" | awk 'NR==2 {print $4}')
  [ "${free_mb:-0}" -ge 1024 ] || fail "only ${free_mb} MB free on the disk of $ROOT; at least 1 GB is needed."
}

# As root, services run as an unprivileged user (created if missing); otherwise as you.
ensure_service_user() {
  [ "$(id -u)" -eq 0 ] || return 0
  id "$SERVICE_USER" >/dev/null 2>&1 && return
  useradd --system --no-create-home --shell /usr/sbin/nologin "$SERVICE_USER"
}

# Run as the unprivileged service user (Elasticsearch and PostgreSQL refuse root).
as_service_user() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u "$SERVICE_USER" -- "$@"; else "$@"; fi
}

prepare_var_dir() {  # prepare_var_dir NAME: a directory owned by the service user
  mkdir -p "$VAR/$1"
  [ "$(id -u)" -eq 0 ] && chown -R "$SERVICE_USER" "$VAR/$1"
  return 0
}

# Append-only persistence: queued tasks survive a Redis restart (appendonly.aof in
# $VAR/redis). A Redis on another port than the default keeps its files apart ($VAR/redis-PORT):
# two servers must never share an append-only file.
start_redis() {
  if redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
    say "Redis already running on port $REDIS_PORT"; return
  fi
  command -v redis-server >/dev/null || fail "redis-server is missing (apt-get install -y redis-server)."
  port_in_use "$REDIS_PORT" && fail "port $REDIS_PORT is taken by something that is not Redis."
  local name=redis
  [ "$REDIS_PORT" = 6379 ] || name="redis-$REDIS_PORT"
  local dir="$VAR/$name"
  prepare_var_dir "$name"
  say "Starting Redis on 127.0.0.1:$REDIS_PORT"
  as_service_user redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes \
    --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" \
    --save "" --appendonly yes --appendfsync everysec \
    || fail "Redis did not start; see $dir/redis.log"
  wait_for 20 Redis sh -c "redis-cli -p $REDIS_PORT ping | grep -q PONG" \
    || fail "Redis did not answer within 20 s; see $dir/redis.log"
  STARTED+=(redis)
}

stop_redis() { redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true; }

start_postgres() {
  if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" 2>/dev/null; then
    say "PostgreSQL already running on port $PG_PORT"; return
  fi
  [ -x "$PG_BIN/postgres" ] || fail "PostgreSQL is missing (apt-get install -y postgresql)."
  port_in_use "$PG_PORT" && fail "port $PG_PORT is taken by something that is not PostgreSQL."
  local data="$VAR/postgres/data"
  prepare_var_dir postgres
  if [ ! -f "$data/PG_VERSION" ]; then
    say "Initialising a PostgreSQL cluster in $data"
    as_service_user "$PG_BIN/initdb" -D "$data" -U postgres --auth=trust -E UTF8 >"$VAR/postgres/initdb.log" 2>&1 \
      || fail "initdb failed; see $VAR/postgres/initdb.log"
  fi
  say "Starting PostgreSQL on 127.0.0.1:$PG_PORT"
  as_service_user "$PG_BIN/pg_ctl" -D "$data" -l "$VAR/postgres/postgres.log" -w -t 60 \
    -o "-h 127.0.0.1 -p $PG_PORT -k $VAR/postgres -c fsync=off -c synchronous_commit=off" start >/dev/null \
    || fail "PostgreSQL did not start; see $VAR/postgres/postgres.log"
  STARTED+=(postgres)
}

stop_postgres() { as_service_user "$PG_BIN/pg_ctl" -D "$VAR/postgres/data" -m fast -w stop >/dev/null 2>&1 || true; }

es_healthy() { curl -sf "http://127.0.0.1:$ES_PORT/_cluster/health?wait_for_status=yellow&timeout=1s" >/dev/null; }

start_elasticsearch() {
  if es_healthy; then
    say "Elasticsearch already running on port $ES_PORT"; return
  fi
  port_in_use "$ES_PORT" && fail "port $ES_PORT is taken by something that is not a healthy Elasticsearch."
  ES_USER="$SERVICE_USER" bash "$ROOT/scripts/es-assemble.sh" "$ES_HOME" \
    || fail "could not set up Elasticsearch $ES_VERSION in $ES_HOME (see the messages above)."
  say "Starting Elasticsearch $ES_VERSION on 127.0.0.1:$ES_PORT"
  prepare_var_dir es-tmp
  as_service_user env ES_JAVA_HOME="$ES_JAVA_HOME" ES_TMPDIR="$VAR/es-tmp" "$ES_HOME/bin/elasticsearch" -d -p "$ES_HOME/es.pid" \
    -E http.port="$ES_PORT" </dev/null >"$VAR/elasticsearch-start.log" 2>&1 \
    || { tail -n 30 "$VAR/elasticsearch-start.log" >&2; fail "Elasticsearch did not start; see $VAR/elasticsearch-start.log and $ES_HOME/logs/"; }
  wait_for 120 Elasticsearch es_healthy \
    || fail "Elasticsearch did not become healthy within 120 s; see $ES_HOME/logs/"
  STARTED+=(elasticsearch)
}

stop_elasticsearch() {
  local pid
  pid=$(cat "$ES_HOME/es.pid" 2>/dev/null) || return 0
  kill "$pid" 2>/dev/null || return 0
  wait_for 60 "Elasticsearch to stop" sh -c "! kill -0 $pid" || kill -9 "$pid" 2>/dev/null
}

start_services() {  # start_services redis postgres elasticsearch: in that order, each healthy
  check_disk
  local name
  for name in "$@"; do "start_$name"; done
}

stop_started() {
  local name
  for name in "${STARTED[@]}"; do
    say "Stopping $name"
    "stop_$name"
  done
  STARTED=()
}

ES_JAVA_HOME=${ES_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
ensure_service_user
# Service data lives in the checkout (.var/, .cache/) unless the service user cannot reach
# it (a checkout under /root, say): then in a folder of its own under /var/tmp.
SERVICE_BASE="$ROOT"
if ! as_service_user test -x "$ROOT" 2>/dev/null; then
  SERVICE_BASE="/var/tmp/newsarchive-$(printf %s "$ROOT" | sha256sum | cut -c1-12)"
fi
VAR="$SERVICE_BASE/.var"
ES_HOME="$SERVICE_BASE/.cache/elasticsearch-$ES_VERSION"
mkdir -p "$VAR"
