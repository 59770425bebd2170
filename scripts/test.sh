#!/usr/bin/env bash
# Second README command (and CI): formatting, lints for both sides, native
# tests, a release build, then the end-to-end suite in Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "tools"
scripts/setup.sh --test
export PATH="$PWD/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"

step "format"
cargo fmt --all --check

# Each side is linted with its own features: the server (ssr) natively,
# the browser (hydrate) for wasm. Mixing both features in one build is invalid.
step "clippy (server side)"
cargo clippy -p app -p server --features app/ssr --all-targets -- -D warnings
step "clippy (browser side)"
cargo clippy -p frontend --target wasm32-unknown-unknown --all-targets -- -D warnings

step "native tests"
cargo test -p app -p server --features app/ssr

step "release build"
scripts/build.sh --test

step "end-to-end (Chromium)"
(cd end2end && npx playwright test "$@")

echo
echo "All checks passed in $(( $(date +%s) - start )) s."
