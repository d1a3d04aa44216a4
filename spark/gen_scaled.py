"""Scaled and sliced copies of a purchase log in the generic CSV form (for the
scaling table and the equality test of docs/ENRICHMENT.md, "Running on a cluster").

    python3 spark/gen_scaled.py --purchases data/tafeng/purchases.csv \
        --users data/tafeng/users.csv --out DIR (--factor N | --every N)

--factor N  multiplies users and baskets: copy 0 is the log as it is; copy c > 0
            renames every user to `<user>~c` (same attributes) and repeats all of that
            user's lines, times and items. Items, categories, prices and dates stay, so
            every share the enrichment computes is kept exactly: per item, baskets,
            buyers, repeat buyers, popularity and area popularity scale by N; medians
            (price, repurchase gap), base rates, the co-purchase PMI and so the
            embeddings are unchanged; lift and repurchase rate only lose some of their
            smoothing (the prior is fixed in buyers, the counts grow N-fold).
--every N   keeps every N-th user, in order of first appearance in the log (the first,
            the (N+1)-th, ...), with all of their lines and their attribute lines.

Writes DIR/purchases.csv and DIR/users.csv; lines are copied verbatim (malformed
lines too), so both enrichment tools see the same input. Python standard library only.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys


def user_column(header):
    names = {"user", "user_id", "customer"}
    for i, h in enumerate(header):
        if h.strip().lstrip("\ufeff").lower() in names:
            return i
    raise SystemExit("no user column")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--purchases", required=True)
    p.add_argument("--users")
    p.add_argument("--out", required=True)
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--factor", type=int)
    g.add_argument("--every", type=int)
    a = p.parse_args(argv)
    os.makedirs(a.out, exist_ok=True)
    kept = None
    if a.every:
        order = {}
        with open(a.purchases, encoding="utf-8", newline="") as f:
            r = csv.reader(f)
            cu = user_column(next(r))
            for row in r:
                if len(row) > cu:
                    order.setdefault(row[cu].strip(), len(order))
        kept = {u for u, i in order.items() if i % a.every == 0}

    def copy(src, dst):
        with open(src, encoding="utf-8", errors="surrogateescape", newline="") as f, \
                open(dst, "w", encoding="utf-8", errors="surrogateescape", newline="") as out:
            r, w = csv.reader(f), csv.writer(out, lineterminator="\n")
            header = next(r)
            cu = user_column(header)
            w.writerow(header)
            if kept is not None:
                for row in r:
                    if len(row) > cu and row[cu].strip() in kept:
                        w.writerow(row)
                return
            rows = list(r)
            for c in range(a.factor):
                for row in rows:
                    if c > 0 and len(row) > cu and row[cu].strip():
                        row = list(row)
                        row[cu] = f"{row[cu].strip()}~{c}"
                    w.writerow(row)

    copy(a.purchases, os.path.join(a.out, "purchases.csv"))
    if a.users:
        copy(a.users, os.path.join(a.out, "users.csv"))
    print(f"gen_scaled: wrote {a.out}/purchases.csv" + (f" and {a.out}/users.csv" if a.users else ""),
          file=sys.stderr)


if __name__ == "__main__":
    main()
