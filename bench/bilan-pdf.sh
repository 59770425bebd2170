#!/usr/bin/env bash
# Issue 21's budget: a bilan of two years of parcours set as a PDF in 1 s at
# most. The person of bench/timeline.sh (a roll call every working day, three
# observations a week, two evaluated sessions a month, twelve objectives), one
# exit bilan over the two years, validated, its PDF asked 20 times through the
# real router by the counsellor (first, p50, p95, max; size and pages).
# Optimised build of the tests, SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
cargo test --release -q -p server --features app/ssr bench_timeline_of_two_years -- --ignored --nocapture 2>&1 \
  | grep -E '^(two years|two-year bilan PDF)'
