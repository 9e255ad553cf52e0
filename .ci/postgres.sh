# Sourced by .ci/run (and usable by hand): starts a private PostgreSQL
# cluster on 127.0.0.1 and exports INNOGRAPH_TEST_POSTGRES_DSN.
PG_PORT="${PG_PORT:-54329}"

pg_start() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  PGDATA_DIR=$(mktemp -d /tmp/innograph-pg.XXXXXX)
  chown postgres "$PGDATA_DIR"
  su postgres -s /bin/sh -c "$bin/initdb -D $PGDATA_DIR -A trust -U postgres -E UTF8 >/dev/null"
  su postgres -s /bin/sh -c "$bin/pg_ctl -D $PGDATA_DIR -l $PGDATA_DIR/log -o '-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PGDATA_DIR -c fsync=off -c max_connections=200' -w start >/dev/null"
  PG_BIN="$bin"
  export INNOGRAPH_TEST_POSTGRES_DSN="postgres://postgres@127.0.0.1:$PG_PORT/postgres?sslmode=disable"
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') at $INNOGRAPH_TEST_POSTGRES_DSN"
}

pg_stop() {
  [ -n "${PGDATA_DIR:-}" ] || return 0
  su postgres -s /bin/sh -c "$PG_BIN/pg_ctl -D $PGDATA_DIR -m fast -w stop >/dev/null" || true
  rm -rf "$PGDATA_DIR"
}
