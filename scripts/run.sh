#!/usr/bin/env bash
# First README command: builds Jalon in release mode and starts it.
# The database lives in data/ (created on first run) with the demo structure
# and its published logins (--demo: only for trying Jalon out).
# Extra arguments go to the server, e.g. scripts/run.sh --addr 0.0.0.0:8080.
# A real deployment starts without --demo: see docs/deploy.md.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
exec target/release/jalon --demo "$@"
