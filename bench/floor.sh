#!/usr/bin/env bash
# What any screen costs on this machine before Jalon's own code: builds the
# smallest hydrated Leptos 0.8 page (bench/floor/, release, like Jalon), serves
# it on a free loopback port, and measures with bench/floor.mjs how soon a tap
# is answered at 4x CPU, beside a static HTML page. Needs scripts/setup.sh --test.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
(cd bench/floor && cargo leptos build --release --precompress >/dev/null 2>&1)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
(cd bench/floor && LEPTOS_OUTPUT_NAME=floor LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg \
  LEPTOS_SITE_ADDR=127.0.0.1:$port LEPTOS_RELOAD_PORT=$((port + 1)) exec target/release/floor) &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/" >/dev/null && break; sleep 0.1; done
printf 'browser code of the hydrated page: %s bytes brotli (wasm + JS)\n' \
  "$(cat bench/floor/target/site/pkg/floor.wasm.br bench/floor/target/site/pkg/floor.js.br | wc -c)"
node bench/floor.mjs "http://127.0.0.1:$port/"
