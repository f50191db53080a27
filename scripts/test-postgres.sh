#!/usr/bin/env bash
# Starts (or reuses) a private PostgreSQL cluster on loopback for the store tests and
# prints the export line for Backstage's TestDatabases. Usage:
#   eval "$(bash scripts/test-postgres.sh)"
# Installs Debian's postgresql when it is missing (CI machines may be bare).
set -euo pipefail
PORT="${COPILOT_USAGE_TEST_PG_PORT:-54329}"
DIR="${COPILOT_USAGE_TEST_PG_DIR:-/tmp/copilot-usage-pg}"
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
  echo "installing postgresql from Debian" >&2
  export DEBIAN_FRONTEND=noninteractive
  (apt-get update -qq && apt-get install -y -qq postgresql >/dev/null) >&2
  BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi
# initdb/postgres refuse to run as root: run them as the 'postgres' user when we are root.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then useradd -r -m postgres; fi
if ! as_pg "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" 2>/dev/null; then
  if [ ! -f "$DIR/data/PG_VERSION" ]; then
    rm -rf "$DIR"; mkdir -p "$DIR"
    [ "$(id -u)" = 0 ] && chown postgres "$DIR"
    echo "backstage" > "$DIR/pwfile"; [ "$(id -u)" = 0 ] && chown postgres "$DIR/pwfile"
    as_pg "$BIN/initdb" -D "$DIR/data" -U postgres --pwfile="$DIR/pwfile" -A md5 >/dev/null
  fi
  as_pg "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w \
    -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off" start >&2
fi
echo "export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING=postgresql://postgres:backstage@127.0.0.1:$PORT"
