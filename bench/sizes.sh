#!/usr/bin/env bash
# Sizes of the release browser bundle as served (raw, gzip, brotli):
#   scripts/build.sh && bench/sizes.sh
set -euo pipefail
cd "$(dirname "$0")/../target/site/pkg"
printf '%-6s %10s %10s %10s\n' file raw gzip brotli
for ext in wasm js css; do
  f=$(ls jalon.*."$ext" | grep -v '\.d\.' | head -n 1)
  printf '%-6s %10s %10s %10s\n' "$ext" "$(stat -c %s "$f")" "$(stat -c %s "$f.gz")" "$(stat -c %s "$f.br")"
done
