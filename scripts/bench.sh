#!/usr/bin/env bash
# The benchmark command (not part of the tests): native Rust, Node wasm (scalar and
# SIMD builds) and the plain-JavaScript reference side by side in one run, for 1k /
# 10k / 100k offers without and with 32-d embeddings. Prints one table with the
# ratios and the SPEC targets and writes results/bench-<timestamp>.json.
#
#   bash scripts/bench.sh                        # everything (about 3-5 minutes)
#   BENCH_SIZES=1000,10000 bash scripts/bench.sh # fewer sizes
#
# pkg/ is (re)built when it is missing or older than src/; set BENCH_REBUILD=1 to
# force a rebuild.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

sizes="${BENCH_SIZES:-1000,10000,100000}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p results

if [ "${BENCH_REBUILD:-0}" = 1 ] || [ ! -f pkg/goods_ranker_bg.wasm ] || [ ! -f pkg/sample/node.js ] \
  || [ -n "$(find src Cargo.toml Cargo.lock -newer pkg/goods_ranker_bg.wasm -print -quit)" ]; then
  echo "[bench] building pkg/ (scripts/build-pkg.sh)" >&2
  bash scripts/build-pkg.sh >&2
fi

# Snapshot pkg/ so that a rebuild during the run cannot change files under it.
export BENCH_PKG="$PWD/results/.pkg-$stamp"
rm -rf "$BENCH_PKG" && cp -r pkg "$BENCH_PKG"
trap 'rm -rf "$BENCH_PKG"' EXIT

echo "[bench] native harness (cargo bench --bench native)" >&2
native="results/native-$stamp.json"
# Own target dir, and panic=unwind for release too: `cargo bench` builds the library
# with unwinding for the harness and the crate's binaries with the release profile's
# abort, and two builds of one library in target/release collide (cargo#6313).
if ! CARGO_TARGET_DIR=target/bench CARGO_PROFILE_RELEASE_PANIC=unwind \
  cargo bench --bench native -- --sizes "$sizes" > "$native"; then
  echo "[bench] native harness failed; its columns will read n/a" >&2
  rm -f "$native"
fi

node benches/bench.mjs --sizes "$sizes" --native "$native" --rustc "$(rustc --version)" \
  --out "results/bench-$stamp.json"

# The mini-program module (built for size, MVP only) against the web module, same
# process, alternating runs.
echo "[bench] mini-program module vs web module (benches/miniprogram.mjs)" >&2
node benches/miniprogram.mjs --offers 10000 --runs 41 | tee "results/miniprogram-$stamp.json"
