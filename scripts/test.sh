#!/usr/bin/env bash
# Every test: set up, check formatting and lints, run the native Rust tests, build
# the npm package, then run the JavaScript tests (API, errors, robustness, package
# layout, TypeScript types, README examples) against pkg/.
#   bash scripts/test.sh           everything (what CI runs), native tests first
#   bash scripts/test.sh LAYER     one layer: native (fmt, clippy, cargo test), eval
#                                  (Ta Feng slice), pkg (build pkg/, JS and benchmark
#                                  equivalence tests), miniprogram, e2e, clients (apps
#                                  built from the packed tarball by Vite, Rsbuild, Taro, uni-app;
#                                  these three build pkg/ first)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

step() { printf '\n== %s\n' "$*"; }
layer=${1:-all}
case $layer in all | native | eval | pkg | miniprogram | e2e | clients) ;;
  *) echo "usage: bash scripts/test.sh [native|eval|pkg|miniprogram|e2e|clients]" >&2; exit 2 ;;
esac
# Whether the run includes any of the given layers.
on() { [[ $layer == all || " $* " == *" $layer "* ]]; }

step setup
if on miniprogram e2e clients; then
  bash scripts/setup.sh --test
else
  bash scripts/setup.sh
fi

if on native; then
step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (native and wasm32, -D warnings)"
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p goods-ranker --target wasm32-unknown-unknown -- -D warnings

step "native tests (cargo test --workspace)"
cargo test --workspace
fi

if on eval; then
step "evaluation on a slice of Ta Feng (every 25th user; fetched once from PyPI)"
bash scripts/evaluate.sh --slice
fi

if on pkg miniprogram e2e clients; then
step "build pkg/"
bash scripts/build-pkg.sh
fi

if on pkg; then
step "JavaScript tests on pkg/ (node --test)"
node --test tests/js/
fi

if on miniprogram; then
step "mini-program entry; the example via npm + 构建 npm (miniprogram-ci), WXML through wcc, code-package size, rendered in miniprogram-simulate (node --test)"
node --test tests/miniprogram/
fi

if on pkg; then
step "benchmark equivalence: plain-JS reference, scalar and SIMD wasm vs native rankings (node --test)"
node --test tests/bench/
fi

if on e2e; then
step "browser tests of the demo page (headless Chromium, node --test)"
node --test tests/e2e/
fi

if on clients; then
step "client apps built by Vite and Rsbuild from the packed tarball, in headless Chromium (node --test)"
node --test tests/clients/

step "Taro 4 example: taro build --type weapp from the packed tarball, WeChat's wcc and size check, the built page in an emulated logic layer (node --test)"
node --test tests/taro/

step "uni-app example: uni build -p mp-weixin from the packed tarball, WeChat's wcc and size check, the built app on an emulated WeChat runtime (node --test)"
node --test tests/uniapp/
fi
