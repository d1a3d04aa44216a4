#!/usr/bin/env bash
# The main job: set up, build the npm package, then serve the browser demo (www/) on
# 127.0.0.1 and print its URL (Ctrl-C stops it). Port: first argument or $PORT
# (default 8080; 0 picks a free one). The sample-feed printout is still there:
#   node examples/sample-feed.mjs [--locale en] [--limit 8]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build-pkg.sh
echo "[run] sample feeds in the terminal: node examples/sample-feed.mjs"
exec node scripts/serve.mjs "${1:-${PORT:-8080}}"
