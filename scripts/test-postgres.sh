#!/usr/bin/env bash
# Runs hearing-server's tests against a throwaway PostgreSQL: installs Debian's `postgresql` when
# missing (sudo when not root), makes a cluster in a temporary folder with initdb, starts it on
# 127.0.0.1 (first free port from 54329, trust authentication, loopback only), exports
# HEARING_TEST_POSTGRES, runs the tests, and stops and removes the cluster on exit.
#
#   scripts/test-postgres.sh                 # cargo test -p hearing-server --locked
#   scripts/test-postgres.sh cargo test …    # any command, with the server up
#
# PostgreSQL refuses to run as root: as root the cluster belongs to the `postgres` user (made by
# the Debian package) and its commands run through runuser.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo

pg_bin() {
    local d
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$d" ] && [ -x "$d/initdb" ] && echo "$d"
}

if ! PG_BIN=$(pg_bin); then
    echo "Installing Debian package: postgresql"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql
    PG_BIN=$(pg_bin) || { echo "test-postgres: no initdb under /usr/lib/postgresql after installing" >&2; exit 1; }
fi

# Who runs the cluster, and how.
if [ "$(id -u)" = 0 ]; then
    PG_USER=postgres
    id "$PG_USER" >/dev/null 2>&1 ||
        useradd --system --home-dir /var/lib/postgresql --shell /bin/sh "$PG_USER"
    as_pg() { runuser -u "$PG_USER" -- "$@"; }
else
    PG_USER=$(id -un)
    as_pg() { "$@"; }
fi

TMP_ROOT=${TMPDIR:-/tmp}
CLUSTER=$(mktemp -d "$TMP_ROOT/hearing-pg.XXXXXX")
chmod 700 "$CLUSTER"
[ "$(id -u)" = 0 ] && chown "$PG_USER" "$CLUSTER"
DATA="$CLUSTER/data"
LOG="$CLUSTER/server.log"
STARTED=

cleanup() {
    local status=$?
    if [ -n "$STARTED" ]; then
        as_pg "$PG_BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$CLUSTER"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

as_pg "$PG_BIN/initdb" -D "$DATA" -U hearing --auth=trust --encoding=UTF8 --locale=C \
    --no-sync >"$CLUSTER/initdb.log" 2>&1 ||
    { cat "$CLUSTER/initdb.log" >&2; exit 1; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

PORT=${HEARING_TEST_POSTGRES_PORT:-54329}
for _ in $(seq 1 20); do
    if ! port_in_use "$PORT"; then
        if as_pg "$PG_BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 \
            -o "-p $PORT -k $CLUSTER -c listen_addresses=127.0.0.1" start >/dev/null; then
            STARTED=1
            break
        fi
    fi
    PORT=$((PORT + 1))
done
if [ -z "$STARTED" ]; then
    echo "test-postgres: could not start PostgreSQL on a port from 54329" >&2
    cat "$LOG" >&2 2>/dev/null || true
    exit 1
fi

export HEARING_TEST_POSTGRES="postgres://hearing@127.0.0.1:$PORT/postgres"
echo "test-postgres: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') at $HEARING_TEST_POSTGRES (cluster $CLUSTER)"

if [ $# -eq 0 ]; then
    set -- cargo test -p hearing-server --locked
fi
"$@"
