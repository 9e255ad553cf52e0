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

# pg_start_replica starts a second, private primary on 127.0.0.1 (port
# PG_PRIMARY_PORT) and a hot standby of it (PG_STANDBY_PORT), made with
# pg_basebackup -R and streaming over loopback, and exports
# INNOGRAPH_TEST_POSTGRES_PRIMARY_DSN and INNOGRAPH_TEST_POSTGRES_STANDBY_DSN
# for the replication and scale-out tests (cmd/innograph). A cluster of its
# own keeps other tests' writes out of the WAL positions those tests watch.
PG_PRIMARY_PORT="${PG_PRIMARY_PORT:-54331}"
PG_STANDBY_PORT="${PG_STANDBY_PORT:-54332}"

pg_start_replica() {
  local bin primary standby
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  PG_BIN="$bin"
  primary=$(mktemp -d /tmp/innograph-pgp.XXXXXX)
  standby=$(mktemp -d /tmp/innograph-pgs.XXXXXX)
  chown postgres "$primary" "$standby"
  chmod 700 "$standby"
  PG_REPLICA_DIRS="$primary $standby"
  su postgres -s /bin/sh -c "$bin/initdb -D $primary -A trust -U postgres -E UTF8 >/dev/null"
  # wal_level replica and max_wal_senders are PostgreSQL 15's defaults;
  # trust on loopback covers the replication connection (initdb -A trust).
  su postgres -s /bin/sh -c "$bin/pg_ctl -D $primary -l $primary/log -o '-c listen_addresses=127.0.0.1 -p $PG_PRIMARY_PORT -k /tmp -c fsync=off -c max_connections=200 -c wal_level=replica -c max_wal_senders=5' -w start >/dev/null"
  su postgres -s /bin/sh -c "$bin/pg_basebackup -h 127.0.0.1 -p $PG_PRIMARY_PORT -U postgres -D $standby -R -X stream -c fast"
  su postgres -s /bin/sh -c "$bin/pg_ctl -D $standby -l $standby/log -o '-c listen_addresses=127.0.0.1 -p $PG_STANDBY_PORT -k /tmp -c fsync=off -c max_connections=200 -c hot_standby=on' -w start >/dev/null"
  export INNOGRAPH_TEST_POSTGRES_PRIMARY_DSN="postgres://postgres@127.0.0.1:$PG_PRIMARY_PORT/postgres?sslmode=disable"
  export INNOGRAPH_TEST_POSTGRES_STANDBY_DSN="postgres://postgres@127.0.0.1:$PG_STANDBY_PORT/postgres?sslmode=disable"
  echo "PostgreSQL primary at $INNOGRAPH_TEST_POSTGRES_PRIMARY_DSN, hot standby at $INNOGRAPH_TEST_POSTGRES_STANDBY_DSN"
}

pg_stop_replica() {
  local d
  for d in ${PG_REPLICA_DIRS:-}; do
    su postgres -s /bin/sh -c "$PG_BIN/pg_ctl -D $d -m fast -w stop >/dev/null" || true
  done
  for d in ${PG_REPLICA_DIRS:-}; do rm -rf "$d"; done
}
