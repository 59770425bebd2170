#!/usr/bin/env bash
# First README command: builds Jalon in release mode and starts it.
# The database lives in data/ (created on first run) with the demo structure.
# Extra arguments go to the server, e.g. scripts/run.sh --addr 0.0.0.0:8080
# or scripts/run.sh --no-demo.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
exec target/release/jalon "$@"
