#!/usr/bin/env bash
# Checks the backup and restore of docs/deploy.md on both engines: a database
# with the demo data, written to by a running server, is backed up while the
# server runs, restored into an empty database, and both are compared table
# by table (`jalon fingerprint`). Needs the release binary (scripts/build.sh)
# and, for PostgreSQL, a cluster: JALON_TEST_POSTGRES (scripts/postgres.sh).
#   scripts/check-backup.sh [sqlite|postgres|both]   (default: both)
set -euo pipefail
cd "$(dirname "$0")/.."
jalon=${JALON_BIN:-target/release/jalon}
which=${1:-both}
work=$(mktemp -d /tmp/jalon-backup.XXXXXX)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Starts a server with the demo on the database flags given, and waits
# until it answers; leaves it running (a backup is taken from a live server).
serve() {
  "$jalon" --addr 127.0.0.1:0 --demo "$@" >"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    grep -q 'Jalon est prêt' "$work/server.log" && return 0
    sleep 0.2
  done
  cat "$work/server.log" >&2
  echo "the server did not start" >&2
  exit 1
}

compare() {
  local label=$1 original=$2 restored=$3
  local tables rows
  tables=$(grep -vc '^schema' "$original")
  rows=$(awk '$1 != "schema" { n += $2 } END { print n }' "$original")
  if ! diff -u "$original" "$restored"; then
    echo "$label: the restored database differs from the original" >&2
    exit 1
  fi
  echo "$label: backup restored into an empty database, identical ($tables tables, $rows rows)"
}

check_sqlite() {
  local src="$work/sqlite-live" copy="$work/sqlite-restored"
  mkdir -p "$src" "$copy"
  serve --data-dir "$src"
  "$jalon" backup --data-dir "$src" --to "$work/jalon-backup.db" >/dev/null
  "$jalon" fingerprint --data-dir "$src" >"$work/sqlite-original.txt"
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=
  # Restoring is putting the file back in place of the database.
  cp "$work/jalon-backup.db" "$copy/jalon.db"
  "$jalon" fingerprint --data-dir "$copy" >"$work/sqlite-restored.txt"
  compare SQLite "$work/sqlite-original.txt" "$work/sqlite-restored.txt"
}

check_postgres() {
  local server=${JALON_TEST_POSTGRES:?JALON_TEST_POSTGRES: run eval "\$(scripts/postgres.sh start)" first}
  local base=${server%/*}
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  psql "$server" -qc "CREATE DATABASE jalon_backup_live"
  psql "$server" -qc "CREATE DATABASE jalon_backup_restored"
  serve --database-url "$base/jalon_backup_live"
  "$bin/pg_dump" --format=custom --file="$work/jalon.dump" "$base/jalon_backup_live"
  "$jalon" fingerprint --database-url "$base/jalon_backup_live" >"$work/pg-original.txt"
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=
  "$bin/pg_restore" --no-owner --dbname="$base/jalon_backup_restored" "$work/jalon.dump"
  "$jalon" fingerprint --database-url "$base/jalon_backup_restored" >"$work/pg-restored.txt"
  psql "$server" -qc "DROP DATABASE jalon_backup_live" -c "DROP DATABASE jalon_backup_restored"
  compare PostgreSQL "$work/pg-original.txt" "$work/pg-restored.txt"
}

case "$which" in
  sqlite) check_sqlite ;;
  postgres) check_postgres ;;
  both) check_sqlite; check_postgres ;;
  *) echo "usage: scripts/check-backup.sh [sqlite|postgres|both]" >&2; exit 2 ;;
esac
