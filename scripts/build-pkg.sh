#!/usr/bin/env bash
# Builds the npm package into pkg/ with wasm-pack (web target, size-tuned release
# profile, wasm-opt 132 from node_modules), then adds the Node entry and export map.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

if ! wasm-opt --version 2>/dev/null | grep -q 'version 132'; then
  echo "[build] wasm-opt 132 not found on PATH (run scripts/setup.sh)" >&2
  exit 1
fi

wasm-pack build --mode no-install --release --target web --out-dir pkg --out-name goods_ranker
node scripts/finish-pkg.mjs
