#!/usr/bin/env bash
# Lighthouse (mobile preset) on the sign-in page and on a signed-in home,
# against the release server with the demo structure, in Debian's Chromium:
#   scripts/build.sh && bench/lighthouse.sh
# Prints the performance, accessibility and best-practices scores (goal:
# 95 / 100 / 100) and what each failing audit says. Lighthouse 12 is
# installed once into ~/.cache/jalon-bench (it is not part of the suite).
set -euo pipefail
cd "$(dirname "$0")/.."
LH_DIR="$HOME/.cache/jalon-bench"
if [ ! -x "$LH_DIR/node_modules/.bin/lighthouse" ]; then
  echo "[bench] installing lighthouse@12 into $LH_DIR (once)"
  mkdir -p "$LH_DIR"
  npm install --prefix "$LH_DIR" --no-audit --no-fund --silent lighthouse@12
fi
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
export LIGHTHOUSE="$LH_DIR/node_modules/.bin/lighthouse"
node bench/lighthouse.mjs "$@"
