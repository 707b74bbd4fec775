# A throwaway PostgreSQL on loopback for tests and benchmarks: `start_postgres PORT` sets
# PG_URL and PG_DIR; `stop_postgres` stops it and removes its folder. Installs the server if missing.
start_postgres() {
  local port=$1
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  PG_BIN=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
  PG_DIR=$(mktemp -d)
  chown postgres "$PG_DIR"
  runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DIR/data" --auth-local=trust --auth-host=scram-sha-256 --no-sync \
    -E UTF8 --locale=C.UTF-8 -U postgres >/dev/null
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_DIR -c fsync=off -c max_connections=500" start >/dev/null
  runuser -u postgres -- psql -q -h "$PG_DIR" -p "$port" -U postgres \
    -c "CREATE ROLE wellplan LOGIN PASSWORD 'wellplan'" -c "CREATE DATABASE wellplan OWNER wellplan"
  PG_URL="postgres://wellplan:wellplan@127.0.0.1:$port/wellplan?sslmode=disable"
}

stop_postgres() {
  [ -n "${PG_DIR:-}" ] || return 0
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
  PG_DIR=
}
