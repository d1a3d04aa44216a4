#!/usr/bin/env bash
# The main job: set up, build the npm package, and print the sample feeds.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build-pkg.sh
node examples/sample-feed.mjs "$@"
