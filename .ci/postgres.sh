#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests (as root, no systemd): Debian's postgresql, UTF-8, 127.0.0.1 only,
# a port other than 5432, the unaccent extension created.
#   eval "$(.ci/postgres.sh start)"   # exports BANTIN_TEST_PG (the URL) and BANTIN_PG_DIR
#   .ci/postgres.sh stop              # stops the cluster in $BANTIN_PG_DIR and removes it
#   .ci/postgres.sh run CMD…          # start, run CMD with BANTIN_TEST_PG set, stop (also on failure)
#   .ci/postgres.sh install           # Debian's postgresql when no server binaries are there (needs the network)
set -euo pipefail
cmd=${1:-}
pgbin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
case "$cmd" in
install)
    if [ -z "$(pgbin)" ] && command -v apt-get >/dev/null; then
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            postgresql postgresql-contrib; } >&2 || echo "postgres.sh: could not install postgresql" >&2
    fi
    ;;
run)
    shift
    eval "$(bash "$0" start)"
    export BANTIN_TEST_PG BANTIN_PG_DIR
    trap 'bash "$0" stop' EXIT
    "$@"
    ;;
start)
    PGBIN=$(pgbin)
    [ -n "$PGBIN" ] || { echo "postgres.sh: no PostgreSQL server found or installable" >&2; exit 1; }
    D=$(mktemp -d /tmp/bantin-pg.XXXXXX)
    chown postgres "$D" 2>/dev/null || true
    as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
    as_pg "$PGBIN/initdb" -D "$D/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
    port=${BANTIN_PG_PORT:-55432}
    for _ in $(seq 1 20); do
        if as_pg "$PGBIN/pg_ctl" -D "$D/data" -l "$D/log" -w -o \
            "-c listen_addresses=127.0.0.1 -p $port -k $D -c fsync=off -c max_connections=60" start >/dev/null 2>&1
        then break; fi
        port=$((port + 1))
    done
    as_pg "$PGBIN/pg_isready" -h 127.0.0.1 -p "$port" -q || { cat "$D/log" >&2; exit 1; }
    as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$port" -U postgres bantin_test
    as_pg "$PGBIN/psql" -q -h 127.0.0.1 -p "$port" -U postgres -d bantin_test -c 'CREATE EXTENSION IF NOT EXISTS unaccent' >/dev/null
    echo "export BANTIN_TEST_PG=postgresql://postgres@127.0.0.1:$port/bantin_test BANTIN_PG_DIR=$D"
    ;;
stop)
    D=${BANTIN_PG_DIR:?BANTIN_PG_DIR is not set}
    PGBIN=$(pgbin)
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$PGBIN/pg_ctl" -D "$D/data" -m fast stop >/dev/null || true
    else "$PGBIN/pg_ctl" -D "$D/data" -m fast stop >/dev/null || true; fi
    rm -rf "$D"
    ;;
*)
    echo "usage: $0 start|stop" >&2; exit 2;;
esac
