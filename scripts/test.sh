#!/usr/bin/env bash
# Every test: set up, check formatting and lints, run the native Rust tests, build
# the npm package, then run the JavaScript tests (API, errors, robustness, package
# layout, TypeScript types, README examples) against pkg/.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

step() { printf '\n== %s\n' "$*"; }

step setup
bash scripts/setup.sh

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (native and wasm32, -D warnings)"
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p goods-ranker --target wasm32-unknown-unknown -- -D warnings

step "native tests (cargo test --workspace)"
cargo test --workspace

step "evaluation on a slice of Ta Feng (every 25th user; fetched once from PyPI)"
bash scripts/evaluate.sh --slice

step "build pkg/"
bash scripts/build-pkg.sh

step "JavaScript tests on pkg/ (node --test)"
node --test tests/js/

step "mini-program entry and example in an emulated WeChat/Douyin runtime (node --test)"
node --test tests/miniprogram/

step "benchmark equivalence: plain-JS reference, scalar and SIMD wasm vs native rankings (node --test)"
node --test tests/bench/

step "browser tests of the demo page (headless Chromium, node --test)"
node --test tests/e2e/
