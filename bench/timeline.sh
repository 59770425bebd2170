#!/usr/bin/env bash
# Issue 20's timeline benchmark: a person with two years of parcours, the
# first window of their timeline and their whole file asked 200 times each
# through the real router (p50 / p95 / max), and their two years exported
# (rows, size, time), on SQLite, then on a throwaway
# PostgreSQL cluster (scripts/postgres.sh). Optimised build of the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
run() { cargo test --release -q -p server --features app/ssr bench_timeline_of_two_years -- --ignored --nocapture 2>&1 | grep -E '^(two years|two-year export|two-year bilan|timeline|worker file)'; }
run
eval "$(scripts/postgres.sh start)"
trap 'scripts/postgres.sh stop' EXIT
run
