#!/usr/bin/env bash
# The scaling table of docs/ENRICHMENT.md ("Running on a cluster"): Ta Feng at 1x,
# 10x and 50x (spark/gen_scaled.py --factor N: users and baskets multiplied, every
# share kept), enriched by the native goods-ranker-enrich and by the Spark job in
# local mode; wall time and peak memory of each (the whole process tree: for Spark the
# Python driver, the JVM and its Python workers, sampled every 0.2 s).
#   bash scripts/spark-scale.sh [--write] [FACTOR ...]    (default factors: 1 10 50)
# --write replaces the table between the spark-scale markers in docs/ENRICHMENT.md.
# Needs scripts/spark-setup.sh first. The scaled logs go to data/scaled/ (git-ignored,
# 2 GB at 50x); SPARK_MASTER (default local[2]) and SPARK_DRIVER_MEMORY (default 8g)
# set the Spark side.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
write=0
if [[ ${1:-} == --write ]]; then write=1; shift; fi
factors=("$@")
[[ ${#factors[@]} -gt 0 ]] || factors=(1 10 50)
master=${SPARK_MASTER:-local[2]}
driver_memory=${SPARK_DRIVER_MEMORY:-8g}
py=.venv-spark/bin/python
[[ -x $py ]] || { echo "spark-scale: run bash scripts/spark-setup.sh first" >&2; exit 1; }

bash scripts/fetch-tafeng.sh >&2
nice -n 10 cargo build --quiet --release --workspace --bin goods-ranker-enrich

# measure OUT CMD...: runs CMD, writes "seconds peak_kib exit_code" to OUT.
measure() {
  local out=$1
  shift
  python3 - "$out" "$@" <<'PY'
import os, subprocess, sys, time
out, cmd = sys.argv[1], sys.argv[2:]
def tree_rss_kib(root):
    kids, rss = {}, {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            kids.setdefault(int(fields[1]), []).append(int(pid))
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        rss[int(pid)] = int(line.split()[1])
        except OSError:
            pass
    total, todo = 0, [root]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(kids.get(p, []))
    return total
t0 = time.monotonic()
proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=open(out + ".log", "w"))
peak = 0
while proc.poll() is None:
    peak = max(peak, tree_rss_kib(proc.pid))
    time.sleep(0.2)
with open(out, "w") as f:
    f.write(f"{time.monotonic() - t0:.1f} {peak} {proc.returncode}\n")
PY
}

rows=()
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for n in "${factors[@]}"; do
  dir=data/tafeng
  if [[ $n != 1 ]]; then
    dir=data/scaled/x$n
    if [[ ! -s $dir/users.csv ]]; then
      python3 spark/gen_scaled.py --purchases data/tafeng/purchases.csv \
        --users data/tafeng/users.csv --out "$dir" --factor "$n"
    fi
  fi
  lines=$(($(wc -l <"$dir/purchases.csv") - 1))
  mib=$(($(stat -c %s "$dir/purchases.csv") / 1048576))
  args=(--purchases "$dir/purchases.csv" --users "$dir/users.csv" --store 25.0330,121.5430)
  echo "spark-scale: ${n}x ($lines lines, $mib MiB): native" >&2
  measure "$tmp/native" nice -n 10 target/release/goods-ranker-enrich "${args[@]}" \
    --json "$tmp/native.json"
  echo "spark-scale: ${n}x: spark $master" >&2
  measure "$tmp/spark" nice -n 10 "$py" spark/goods_ranker_enrich.py "${args[@]}" \
    --master "$master" --driver-memory "$driver_memory" --json "$tmp/spark.json" --verbose
  read -r nt nk nrc <"$tmp/native"
  read -r st sk src <"$tmp/spark"
  cell() { if [[ $3 == 0 ]]; then printf '%s s, %s GiB' "$1" "$(awk -v k="$2" 'BEGIN { printf "%.2f", k / 1048576 }')"; else printf 'failed (exit %s)' "$3"; fi; }
  same=""
  if [[ $nrc == 0 && $src == 0 ]]; then
    same=$(python3 - "$tmp/native.json" "$tmp/spark.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
worst = {}  # field -> (largest |Δ|, offers differing)
def cmp(x, y, field=""):
    if isinstance(x, dict):
        return isinstance(y, dict) and x.keys() == y.keys() and all(cmp(x[k], y[k], k) for k in x)
    if isinstance(x, list):
        return isinstance(y, list) and len(x) == len(y) and all(cmp(u, v, field) for u, v in zip(x, y))
    if isinstance(x, float) and isinstance(y, (int, float)):
        if x != y:
            w = worst.get(field, (0.0, 0))
            worst[field] = (max(w[0], abs(x - y)), w[1])
        return True
    return x == y
if a == b:
    print("identical")
elif cmp(a, b):
    for o, p in zip(a["offers"], b["offers"]):
        for f in o:
            if o[f] != p[f] and f in worst:
                worst[f] = (worst[f][0], worst[f][1] + 1)
    print("same offers and fields; " + ", ".join(
        "%s: %d offers, largest \\|Δ\\| %.1g" % (f, n, d) for f, (d, n) in sorted(worst.items())))
else:
    print("differ")
PY
)
  fi
  rows+=("| ${n}× | $lines | $mib | $(cell "$nt" "$nk" "$nrc") | $(cell "$st" "$sk" "$src") | $same |")
  echo "${rows[-1]}" >&2
  [[ $nrc == 0 ]] || tail -5 "$tmp/native.log" >&2
  [[ $src == 0 ]] || tail -20 "$tmp/spark.log" >&2
  grep ' s\] ' "$tmp/spark.log" >&2 || true  # seconds per phase
done
table=$(
  echo "| log | purchase lines | CSV MiB | native: wall, peak memory | Spark $master (driver memory $driver_memory): wall, peak memory | catalogs |"
  echo "|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
)
echo "$table"
if [[ $write == 1 ]]; then
  python3 - docs/ENRICHMENT.md "$table" <<'PY'
import sys
doc, table = sys.argv[1], sys.argv[2]
text = open(doc).read()
a, b = "<!-- spark-scale:begin -->", "<!-- spark-scale:end -->"
head, rest = text.split(a, 1)
tail = rest.split(b, 1)[1]
open(doc, "w").write(head + a + "\n" + table.strip() + "\n" + b + tail)
PY
fi
