#!/usr/bin/env bash
# Builds the npm package into pkg/ with wasm-pack (web target, size-tuned release
# profile, wasm-opt 132 from node_modules): the engine module in pkg/, the sample-data
# module (feature `sample-only`) in pkg/sample/; then adds the Node entries, the
# export map and exact TypeScript signatures (scripts/finish-pkg.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

if ! wasm-opt --version 2>/dev/null | grep -q 'version 132'; then
  echo "[build] wasm-opt 132 not found on PATH (run scripts/setup.sh)" >&2
  exit 1
fi

rm -rf pkg
wasm-pack build --mode no-install --release --target web --out-dir pkg --out-name goods_ranker
wasm-pack build --mode no-install --release --target web --out-dir pkg/sample \
  --out-name goods_ranker_sample --no-pack -- --features sample-only
node scripts/finish-pkg.mjs
