#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests and benchmarks: initdb into a
# temporary folder, run by an unprivileged user, on a free loopback port.
#   eval "$(scripts/postgres.sh start)"   starts one; exports JALON_TEST_POSTGRES
#                                         (the URL of its `postgres` database)
#                                         and JALON_PG_DIR (its folder)
#   scripts/postgres.sh stop              stops the cluster of $JALON_PG_DIR, deletes it
# Debian's PostgreSQL must be installed (scripts/setup.sh --test does it).
set -euo pipefail
cd "$(dirname "$0")/.."

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ]; then
  echo "PostgreSQL is not installed: run scripts/setup.sh --test" >&2
  exit 1
fi

# initdb and the server refuse to run as root: as root, run them as the
# `postgres` user the Debian package creates (else `nobody`).
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    local user=postgres
    id "$user" >/dev/null 2>&1 || user=nobody
    runuser -u "$user" -- "$@"
  else
    "$@"
  fi
}

case "${1:-}" in
  start)
    dir=$(mktemp -d /tmp/jalon-pg.XXXXXX)
    chmod 755 "$dir"
    if [ "$(id -u)" = 0 ]; then
      user=postgres
      id "$user" >/dev/null 2>&1 || user=nobody
      chown "$user" "$dir"
    fi
    port=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
    # C collation: text sorts byte by byte, as on SQLite.
    as_owner "$bin/initdb" -D "$dir/data" -U jalon -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    # A throwaway cluster: durability off, room for every test's pool.
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=500 \
          -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "export JALON_PG_DIR=$dir"
    echo "export JALON_TEST_POSTGRES=postgres://jalon@127.0.0.1:$port/postgres"
    ;;
  stop)
    dir=${JALON_PG_DIR:?no cluster: JALON_PG_DIR is unset}
    if [ -d "$dir/data" ]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: scripts/postgres.sh start|stop" >&2
    exit 2
    ;;
esac
