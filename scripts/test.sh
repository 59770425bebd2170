#!/usr/bin/env bash
# Second README command (and CI): formatting, lints for both sides, native
# tests on SQLite and on PostgreSQL, a release build, then the end-to-end
# suite in Debian's Chromium, its servers on PostgreSQL and on SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "tools"
scripts/setup.sh --test
export PATH="$PWD/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"

step "format"
cargo fmt --all --check

# The floors of docs/architecture.md: no import circle, imports pointing down,
# and a jalon-core that knows neither Leptos nor sqlx.
step "layers"
node scripts/layers.mjs
if cargo tree -p jalon-core -e normal --prefix none | grep -Eq '^(leptos|sqlx)'; then
  echo "jalon-core must not depend on Leptos or sqlx:"
  cargo tree -p jalon-core -e normal -i leptos 2>/dev/null || true
  exit 1
fi

# Each side is linted with its own features: the server (ssr) natively,
# the browser (hydrate) for wasm. Mixing both features in one build is invalid.
step "clippy (server side)"
cargo clippy -p jalon-core -p app -p server --features app/ssr --all-targets -- -D warnings
step "clippy (browser side)"
cargo clippy -p frontend --target wasm32-unknown-unknown --all-targets -- -D warnings
cargo clippy -p jalon-core --target wasm32-unknown-unknown -- -D warnings

# A throwaway PostgreSQL cluster (temporary folder, free port), gone at exit.
step "PostgreSQL for the tests"
eval "$(scripts/postgres.sh start)"
pg_url=$JALON_TEST_POSTGRES
unset JALON_TEST_POSTGRES
trap 'scripts/postgres.sh stop' EXIT
echo "throwaway cluster: $pg_url"

step "native tests (SQLite)"
cargo test -p jalon-core -p app -p server --features app/ssr
# The same tests, each on a new database of the throwaway cluster.
step "native tests (PostgreSQL)"
JALON_TEST_POSTGRES=$pg_url cargo test -p app -p server --features app/ssr

step "release build"
scripts/build.sh --test

# Bytes do not vary from run to run: every lazy screen in the split manifest,
# the main piece and each lazy piece under today's ceilings.
step "browser code pieces"
node bench/chunks.mjs --check-pieces

# docs/deploy.md's backup and restore, on both engines, with the release binary.
step "backup and restore"
JALON_TEST_POSTGRES=$pg_url scripts/check-backup.sh both

# The whole suite with its servers on PostgreSQL (one database per server,
# on the throwaway cluster; two instances share one in instances.spec.ts),
# then on SQLite, the default.
step "end-to-end (Chromium, servers on PostgreSQL)"
(cd end2end && JALON_E2E_POSTGRES=$pg_url npx playwright test "$@")
step "end-to-end (Chromium, servers on SQLite)"
(cd end2end && npx playwright test "$@")

echo
echo "All checks passed in $(( $(date +%s) - start )) s."
