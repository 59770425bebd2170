#!/usr/bin/env bash
# Installs what building and testing Jalon needs, skipping whatever is already there.
# Works without internet beyond the package registries (crates.io, npm, Debian).
#   scripts/setup.sh          toolchain for building (wasm target, cargo-leptos, wasm-bindgen, wasm-opt)
#   scripts/setup.sh --test   also Chromium and the end-to-end npm packages
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.10
# Must equal the wasm-bindgen version pinned in Cargo.toml (and so in Cargo.lock).
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' Cargo.toml)
with_test=0
[ "${1:-}" = "--test" ] && with_test=1

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PATH"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
if ! rustup component list --installed 2>/dev/null | grep -q '^rustfmt'; then rustup component add rustfmt; fi
if ! rustup component list --installed 2>/dev/null | grep -q '^clippy'; then rustup component add clippy; fi

if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 12 minutes on 2 cores, once)"
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 3 minutes, once)"
  # Not --locked: its lock file names a crate version the registry mirror lacks.
  cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION" --force
fi

# wasm-opt (release builds) and Playwright come from npm, into tools/node_modules.
# A folder's packages are (re)installed when missing or older than its lock file.
stale() { [ ! -f "$1/node_modules/.package-lock.json" ] || [ "$1/node_modules/.package-lock.json" -ot "$1/package-lock.json" ]; }
need_npm=0
[ -x tools/node_modules/.bin/wasm-opt ] || need_npm=1
if [ $with_test = 1 ] && stale end2end; then need_npm=1; fi
if [ $need_npm = 1 ]; then
  say "installing npm packages (binaryen for wasm-opt; Playwright for the tests)"
  (cd tools && npm ci --no-audit --no-fund --prefer-offline)
  if [ $with_test = 1 ]; then (cd end2end && npm ci --no-audit --no-fund --prefer-offline); fi
fi

# Debian packages of the tests: Chromium, PostgreSQL (its server programs;
# the tests start a throwaway cluster of their own, scripts/postgres.sh), and
# poppler-utils (pdftotext, pdftoppm, pdffonts read the PDFs Jalon makes).
packages=()
if [ $with_test = 1 ] && [ ! -x /usr/bin/chromium ]; then packages+=(chromium); fi
if [ $with_test = 1 ] && [ ! -x /usr/bin/pdftotext ]; then packages+=(poppler-utils); fi
if [ $with_test = 1 ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  packages+=(postgresql postgresql-client)
fi
if [ ${#packages[@]} -gt 0 ]; then
  say "installing Debian's ${packages[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${packages[@]}" >/dev/null
fi
say "tools ready"
