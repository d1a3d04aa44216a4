#!/usr/bin/env bash
# The one command behind docs/EVALUATION.md: fetches Ta Feng (idempotent, needs PyPI
# once), builds the evaluator, replays the next-basket protocol and rewrites the
# results section of docs/EVALUATION.md (between the eval markers).
#   bash scripts/evaluate.sh           full run (≈ minutes on 2 cores)
#   bash scripts/evaluate.sh --slice   every 25th user, no tuning, nothing written
#                                      (part of the test command)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
bash scripts/fetch-tafeng.sh
args=(--purchases data/tafeng/purchases.csv --users data/tafeng/users.csv --store 25.0330,121.5430)
if [[ ${1:-} == --slice ]]; then
  cargo run --quiet -p goods-ranker-tools --bin goods-ranker-evaluate -- "${args[@]}" --every 25 --rounds 0 >/tmp/goods-ranker-eval-slice.md
  grep -E '^\| (GP-TopFreq|TIFU|\*\*goods-ranker)' /tmp/goods-ranker-eval-slice.md
  grep -q 'malformed' /tmp/goods-ranker-eval-slice.md
  exit 0
fi
cargo build --quiet --release -p goods-ranker-tools --bin goods-ranker-evaluate
out=$(mktemp)
./target/release/goods-ranker-evaluate "${args[@]}" --rounds 1 --tune-stride 4 | tee "$out"
python3 - "$out" docs/EVALUATION.md <<'PY'
import sys
res, doc = open(sys.argv[1]).read(), sys.argv[2]
text = open(doc).read()
a, b = "<!-- eval:begin -->", "<!-- eval:end -->"
head, rest = text.split(a, 1)
tail = rest.split(b, 1)[1]
open(doc, "w").write(head + a + "\n" + res.strip() + "\n" + b + tail)
PY
rm -f "$out"
