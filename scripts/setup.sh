#!/usr/bin/env bash
# Installs everything building and testing need, skipping what is already there:
# the wasm32 target, the standard library's source, wasm-pack and wasm-bindgen-cli at
# pinned versions, the npm dev packages (wasm-opt from binaryen, TypeScript,
# playwright-core, fast-check) and Debian's Chromium with CJK fonts.
#   bash scripts/setup.sh          what building and the demo page need
#   bash scripts/setup.sh --test   also the client tool chains the tests build real apps
#                                  with (Vite, Rsbuild, miniprogram-ci/-simulate, Taro),
#                                  each pinned by its own package-lock.json
# The downloads (npm, apt) run in the background while cargo compiles.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_PACK_VERSION=0.15.1
# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
with_test_tools=0
[[ ${1:-} == --test ]] && with_test_tools=1

say() { printf '[setup] %s\n' "$*"; }

export PATH="$HOME/.cargo/bin:$PATH"

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "[setup] Node.js >= 20 is required (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi

# `npm ci` in a folder with a package-lock.json, unless its node_modules is current.
npm_ci() {
  local dir=$1
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    say "installing npm packages in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --prefer-offline --loglevel=error)
  fi
}

# Background jobs; their logs are printed if they fail.
jobs_dir=$(mktemp -d)
trap 'rm -rf "$jobs_dir"' EXIT
pids=()
background() {
  local name=$1
  shift
  ("$@") >"$jobs_dir/$name.log" 2>&1 &
  pids+=("$!:$name")
}

# The browser end-to-end tests drive Debian's Chromium through playwright-core (no
# browser download); CJK fonts make Chinese text render in screenshots.
install_chromium() {
  local sudo_cmd=""
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y chromium fonts-noto-cjk
}
if ! command -v chromium >/dev/null 2>&1 || [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
  say "installing chromium and fonts-noto-cjk (apt, in the background)"
  background chromium install_chromium
fi

npm_all() {
  npm_ci .
  if [ "$with_test_tools" = 1 ]; then
    for dir in tests/clients tests/miniprogram/tools examples/taro examples/uniapp; do
      if [ -f "$dir/package-lock.json" ]; then npm_ci "$dir"; fi
    done
  fi
}
background npm npm_all

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# The standard library's source: the mini-program module rebuilds std for the MVP
# feature set with panics as plain traps (scripts/build-miniprogram.mjs).
if ! rustup component list --installed | grep -qx rust-src; then
  say "adding rust component rust-src"
  rustup component add rust-src
fi

if ! wasm-pack --version 2>/dev/null | grep -qF "$WASM_PACK_VERSION"; then
  say "installing wasm-pack $WASM_PACK_VERSION"
  cargo install wasm-pack --version "=$WASM_PACK_VERSION" --locked
fi

if ! wasm-bindgen --version 2>/dev/null | grep -qF "$WASM_BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Not --locked: its own lockfile names a webpki-roots release the registry lacks.
  cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION" --force
fi

failed=0
for entry in "${pids[@]}"; do
  pid=${entry%%:*}
  name=${entry#*:}
  if ! wait "$pid"; then
    echo "[setup] $name failed:" >&2
    cat "$jobs_dir/$name.log" >&2
    failed=1
  fi
done
exit "$failed"
