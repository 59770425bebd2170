#!/usr/bin/env bash
# Release build of Jalon: server binary + hashed, optimised, pre-compressed
# browser files in target/site. Output: target/release/jalon.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh "$@"
export PATH="$PWD/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
cargo leptos build --release --precompress --split
