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

# The SIMD build of the same engine (+simd128), in its own target dir (other RUSTFLAGS
# rebuild everything). Same crate, same exports: the JS glue must come out identical,
# so one glue file serves both modules and the loader only picks the .wasm.
simd_dir=target/simd
RUSTFLAGS="-C target-feature=+simd128" CARGO_TARGET_DIR="$simd_dir" \
  cargo build --release --target wasm32-unknown-unknown --lib
wasm-bindgen --target web --out-dir "$simd_dir/bindgen" --out-name goods_ranker \
  "$simd_dir/wasm32-unknown-unknown/release/goods_ranker.wasm"
if ! cmp -s "$simd_dir/bindgen/goods_ranker.js" pkg/goods_ranker.js; then
  echo "[build] the SIMD build's JS glue differs from the scalar build's" >&2
  diff "$simd_dir/bindgen/goods_ranker.js" pkg/goods_ranker.js | head -20 >&2
  exit 1
fi
wasm-opt -O3 --enable-simd --enable-bulk-memory --enable-reference-types --enable-sign-ext \
  --enable-multivalue --enable-nontrapping-float-to-int \
  "$simd_dir/bindgen/goods_ranker_bg.wasm" -o pkg/goods_ranker_simd_bg.wasm
wasm-pack build --mode no-install --release --target web --out-dir pkg/sample \
  --out-name goods_ranker_sample --no-pack -- --features sample-only
node scripts/finish-pkg.mjs
node scripts/build-miniprogram.mjs
