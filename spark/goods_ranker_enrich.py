"""Catalog enrichment on Apache Spark: the learned fields of `goods-ranker-enrich`,
computed with Spark SQL / DataFrames so that purchase logs larger than one machine
can be enriched on a cluster (docs/ENRICHMENT.md, "Running on a cluster").

Reads the purchase log and the user attributes in the generic CSV form (or the same
columns from Parquet), counts malformed lines per reason exactly as the native tool
does, and writes the catalog JSON (and the price report) in the format the native
tool writes, so `goods-ranker-catalog encode` turns either into the binary catalog.

    python spark/goods_ranker_enrich.py --purchases log.csv [--users users.csv] \
        --store LAT,LNG --json catalog.json [--prices prices.json] [--report report.json]

or through `spark-submit spark/goods_ranker_enrich.py ...` on YARN or Kubernetes.
Several runs can share one Spark application: `--runs runs.json` (a JSON list of
argument lists).

What is computed, and how it maps onto the native code (tools/src/enrich/):
- lines: the same checks, in the same order, with the same reasons; `time` accepts
  the same forms (parsed with Spark SQL, no Python UDF);
- baskets: GROUP BY user, basket (or user, day) -> basket time = earliest line;
  basket items: GROUP BY user, basket, item (an item counts once per basket; its unit
  price is the float32 mean of the line prices, as natively);
- popularity, area popularity, price statistics, repurchase interval and rate, age
  and income lift: group-bys over the basket items, the same formulas and smoothing;
- medians: `percentile_approx` (default, accuracy --accuracy, 10000) or the exact
  interpolated median (`--quantiles exact`, Spark's `percentile`);
- embeddings: co-occurrence counts from the baskets (explode of item pairs, then
  GROUP BY i, j), PPMI with context counts ^0.75, and the same randomized truncated
  SVD as natively (same seed and Gaussian test matrix, 3 power iterations, Jacobi on
  the small core): the sparse x dense products run on the executors over the cached
  PPMI blocks with the dense side broadcast; the small dense steps run on the driver.
  `--factorisation mllib` uses Spark MLlib's RowMatrix.computeSVD instead (the same
  subspace up to rotation; see docs/ENRICHMENT.md for how the vectors compare).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time as _time

DAY_MS = 86_400_000.0
AGE_BANDS = 10
INCOME_BANDS = 5

REASON_UNREADABLE = "unreadable CSV"
REASON_USER = "missing user"
REASON_ITEM = "missing item"
REASON_TIME = "bad time"
REASON_QTY = "bad quantity (not a number > 0)"
REASON_PRICE = "bad price (not a number > 0)"
REASON_BASKET = "missing basket"
REASON_UNKNOWN_USER = "unknown user (not in the purchase log)"
REASON_AGE = "bad age"
REASON_AGE_BAND = "bad age band"
REASON_INCOME_BAND = "bad income band"
REASON_INCOME = "bad income"
REASON_LATLNG = "bad lat/lng"

# Column names and their aliases, as the native reader accepts them (case-insensitive).
PURCHASE_COLUMNS = {
    "user": ["user", "user_id", "customer"],
    "item": ["item", "item_id", "product"],
    "time": ["time", "timestamp", "date", "at"],
    "basket": ["basket", "basket_id", "order", "order_id"],
    "quantity": ["quantity", "qty", "amount"],
    "price": ["price", "unit_price"],
    "category": ["category"],
}
USER_COLUMNS = {
    "user": ["user", "user_id", "customer"],
    "age": ["age"],
    "ageBand": ["ageBand", "age_band", "age_group"],
    "income": ["income", "monthlyIncome", "monthly_income"],
    "incomeBand": ["incomeBand", "income_band"],
    "area": ["area", "zone", "postcode", "pin_code"],
    "lat": ["lat", "latitude"],
    "lng": ["lng", "lon", "longitude"],
}

# A finite decimal number as Rust's `str::parse::<f64>` reads it (Spark's cast alone
# would also take "1d", "0x1p3" or "Infinity").
FLOAT_RE = r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$"
# An unsigned integer as `str::parse::<u32>` reads it.
UINT_RE = r"^\+?[0-9]+$"


class JobError(Exception):
    """A fatal error: unreadable input or a missing required column."""


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="goods_ranker_enrich.py",
        description="Learns a goods-ranker catalog from a purchase log on Spark.",
    )
    p.add_argument("--purchases", help="purchase log (CSV file or folder, or Parquet)")
    p.add_argument("--users", help="user attributes (CSV or Parquet)")
    p.add_argument("--format", choices=["csv", "parquet"], default=None,
                   help="input format (default: from the path's extension, else csv)")
    p.add_argument("--store", default="0,0", help="LAT,LNG of the catalog's store")
    p.add_argument("--json", help="write the catalog JSON here")
    p.add_argument("--prices", help="write the price report JSON here")
    p.add_argument("--report", help="write the line counts and run summary (JSON) here")
    p.add_argument("--save-parquet", metavar="DIR",
                   help="also save the input read as Parquet (DIR/purchases, DIR/users)")
    p.add_argument("--dim", type=int, default=32, help="embedding length (0 = none)")
    p.add_argument("--half-life-days", type=float, default=30.0)
    p.add_argument("--min-baskets", type=int, default=5,
                   help="fewest baskets for an item to get an embedding")
    p.add_argument("--seed", type=int, default=7, help="seed of the randomized SVD")
    p.add_argument("--quantiles", choices=["approx", "exact"], default="approx",
                   help="medians by percentile_approx (default) or exact percentile")
    p.add_argument("--accuracy", type=int, default=10000,
                   help="percentile_approx accuracy (relative rank error 1/accuracy)")
    p.add_argument("--factorisation", choices=["randomized", "mllib"], default="randomized")
    p.add_argument("--partitions", type=int, default=0,
                   help="shuffle partitions (default: Spark's, or 4 x cores in local mode)")
    p.add_argument("--master", default=None,
                   help="Spark master when run with plain python (default local[2])")
    p.add_argument("--driver-memory", default=None,
                   help="driver memory when run with plain python, e.g. 4g")
    p.add_argument("--runs", help="JSON list of argument lists: several runs, one application")
    p.add_argument("--verbose", action="store_true", help="time each phase on stderr")
    a = p.parse_args(argv)
    if not a.runs and not a.purchases:
        p.error("--purchases is required")
    try:
        lat, lng = (float(x) for x in a.store.split(","))
    except ValueError:
        p.error(f"--store: expected lat,lng, got {a.store}")
    a.store_lat, a.store_lng = lat, lng
    return a


def spark_session(master=None, driver_memory=None, partitions=0):
    import os

    from pyspark.sql import SparkSession

    # Local Python workers run this interpreter (its venv has numpy); on a cluster,
    # spark.pyspark.python / PYSPARK_PYTHON name the executors' interpreter.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    b = SparkSession.builder.appName("goods-ranker-enrich")
    if master or not _submitted():
        b = b.master(master or "local[2]")
    if driver_memory:
        b = b.config("spark.driver.memory", driver_memory)
    b = (
        b.config("spark.sql.session.timeZone", "UTC")
        # Casts of malformed strings give NULL (which the checks count), not errors.
        .config("spark.sql.ansi.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
    )
    if partitions:
        b = b.config("spark.sql.shuffle.partitions", str(partitions))
    spark = b.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    if not partitions and spark.sparkContext.master.startswith("local"):
        cores = spark.sparkContext.defaultParallelism
        spark.conf.set("spark.sql.shuffle.partitions", str(max(2, 4 * cores)))
    return spark


def _submitted():
    """True under spark-submit (the master then comes from its command line)."""
    import os

    return "PYSPARK_GATEWAY_PORT" in os.environ


# ----------------------------------------------------------------------------------
# Reading


def read_table(spark, path, fmt):
    from pyspark.sql import functions as F

    if fmt is None:
        fmt = "parquet" if path.rstrip("/").endswith(".parquet") else "csv"
    if fmt == "csv":
        df = (
            spark.read.option("header", True)
            .option("inferSchema", False)
            .option("mode", "PERMISSIVE")
            .option("encoding", "UTF-8")
            .option("multiLine", False)
            .csv(path)
        )
    else:
        df = spark.read.parquet(path)
    # Every column as a string: typed Parquet columns go through the same checks.
    df = df.select([F.col(f"`{c}`").cast("string").alias(c) for c in df.columns])
    # File order: increasing within a partition, partitions in file order.
    return df.withColumn("_line", F.monotonically_increasing_id()), fmt


def find_column(columns, names):
    wanted = {n.lower() for n in names}
    for c in columns:
        if c.strip().lstrip("\ufeff").lower() in wanted:
            return c
    return None


def trimmed(df, column):
    """The trimmed field (Unicode whitespace, like Rust's str::trim), '' when absent."""
    from pyspark.sql import functions as F

    if column is None:
        return F.lit("")
    c = F.col(f"`{column}`")
    # The regex only runs when the first or last character is whitespace (rare).
    edge = F.substring(c, 1, 1).isin(*WHITESPACE) | F.substring(c, -1, 1).isin(*WHITESPACE)
    return F.coalesce(F.when(edge, F.regexp_replace(c, r"(?U)^\s+|\s+$", "")).otherwise(c), F.lit(""))


# Unicode White_Space: what Rust's str::trim removes.
WHITESPACE = ["\t", "\n", "\x0b", "\x0c", "\r", " ", "\x85", "\xa0", "\u1680",
              *[chr(c) for c in range(0x2000, 0x200B)], "\u2028", "\u2029", "\u202f",
              "\u205f", "\u3000"]


def unreadable(df):
    """Invalid UTF-8 (read as U+FFFD) in any field: the native reader rejects the line."""
    from pyspark.sql import functions as F

    cols = [F.coalesce(F.col(f"`{c}`"), F.lit("")) for c in df.columns if c != "_line"]
    return F.concat_ws("\u0001", *cols).contains("\ufffd")


def finite_float(s):
    """Rust's `s.parse::<f64>()` restricted to finite values, else NULL."""
    from pyspark.sql import functions as F

    return F.when(s.rlike(FLOAT_RE), s.cast("double"))


DATE_RE = r"^\+?([0-9]+)-\+?([0-9]+)-\+?([0-9]+)(?:[T ](.*))?$"
HMS_RE = r"^\+?([0-9]+):\+?([0-9]+)(?::([+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?))?$"


def parse_time(df, col, out):
    """`log::parse_time` of column `col` into the double column `out` (epoch ms, NULL
    when it is none of the forms): epoch ms (≥ 9 digits), `YYYY-MM-DD`,
    `YYYY-MM-DD HH:MM[:SS]`, `YYYY-MM-DDTHH:MM:SS[Z]` (UTC). Staged projections, so
    each regular expression runs once per line, and a plain `YYYY-MM-DD` takes none
    but one."""
    from pyspark.sql import functions as F

    s = F.col(col)
    kind = (F.when(s.rlike(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"), 1)
            .when(s.rlike(r"^[0-9]{9,}$"), 2)
            .when(s.rlike(DATE_RE), 3).otherwise(0))
    df = df.withColumn("_tk", kind)
    k = F.col("_tk")
    dec = lambda c: c.cast("decimal(38,0)")  # noqa: E731
    df = df.select(
        "*",
        F.when(k == 1, F.substring(s, 1, 4).cast("long"))
        .when(k == 3, dec(F.regexp_extract(s, DATE_RE, 1)).cast("long")).alias("_ty"),
        F.when(k == 1, F.substring(s, 6, 2).cast("long"))
        .when(k == 3, dec(F.regexp_extract(s, DATE_RE, 2))).alias("_tm"),
        F.when(k == 1, F.substring(s, 9, 2).cast("long"))
        .when(k == 3, dec(F.regexp_extract(s, DATE_RE, 3))).alias("_td"),
        F.when(k == 3, F.regexp_replace(F.regexp_extract(s, DATE_RE, 4), "Z+$", ""))
        .otherwise(F.lit("")).alias("_tr"),
    )
    rest = F.col("_tr")
    df = df.select(
        "*",
        F.when(rest == "", F.lit(True)).otherwise(rest.rlike(HMS_RE)).alias("_tok"),
        F.when(rest != "", dec(F.regexp_extract(rest, HMS_RE, 1))).alias("_th"),
        F.when(rest != "", dec(F.regexp_extract(rest, HMS_RE, 2))).alias("_tn"),
        F.when(rest != "", F.regexp_extract(rest, HMS_RE, 3)).alias("_ts"),
    )
    y, m, d = F.col("_ty"), F.col("_tm"), F.col("_td")
    h, mi, sec_s = F.col("_th"), F.col("_tn"), F.col("_ts")
    sec = F.when(F.coalesce(sec_s, F.lit("")) == "", F.lit(0.0)).otherwise(sec_s.cast("double"))
    leap = ((y % 4 == 0) & (y % 100 != 0)) | (y % 400 == 0)
    dim = (F.when(m == 2, F.when(leap, 29).otherwise(28))
           .when(m.isin(4, 6, 9, 11), 30).otherwise(31))
    date_ok = y.isNotNull() & (m >= 1) & (m <= 12) & (d >= 1) & (d <= dim)
    time_ok = (rest == "") | (F.col("_tok") & (h <= 23) & (mi <= 59) & (sec >= 0.0) & (sec < 61.0))
    # days_from_civil (H. Hinnant), in integer arithmetic.
    mm = m.cast("long")
    yy = y - F.when(mm <= 2, 1).otherwise(0)
    era = F.floor(yy / 400.0).cast("long")
    yoe = yy - era * 400
    mp = (mm + 9) % 12
    doy = ((mp * 153 + 2) / 5).cast("long") + d.cast("long") - 1
    doe = yoe * 365 + (yoe / 4).cast("long") - (yoe / 100).cast("long") + doy
    days = era * 146097 + doe - 719468
    secs = F.when(rest == "", F.lit(0.0)).otherwise(
        (h.cast("long") * 3600 + mi.cast("long") * 60).cast("double") + sec)
    at = days.cast("double") * DAY_MS + secs * 1000.0
    value = (F.when(k == 2, s.cast("double"))
             .when(((k == 1) | (k == 3)) & date_ok & time_ok, at))
    return df.select("*", value.alias(out)).drop("_tk", "_ty", "_tm", "_td", "_tr", "_tok",
                                                 "_th", "_tn", "_ts")


def read_purchases(spark, path, fmt):
    """Every line with its reason (NULL when usable) and its parsed values."""
    from pyspark.sql import functions as F

    raw, fmt = read_table(spark, path, fmt)
    cols = {k: find_column([c for c in raw.columns if c != "_line"], v)
            for k, v in PURCHASE_COLUMNS.items()}
    for need in ("user", "item", "time"):
        if cols[need] is None:
            raise JobError(f"purchase log: no `{need}` column")
    t = raw.select(
        "_line", unreadable(raw).alias("_bad"),
        *[trimmed(raw, cols[k]).alias(k) for k in PURCHASE_COLUMNS])
    t = parse_time(t, "time", "at")
    t = t.select("*", finite_float(F.col("quantity")).alias("qty"),
                 finite_float(F.col("price")).alias("p64"))
    user, item, at = F.col("user"), F.col("item"), F.col("at")
    qty_s, price_s, qty, price = F.col("quantity"), F.col("price"), F.col("qty"), F.col("p64")
    basket_s, cat_s = F.col("basket"), F.col("category")
    explicit = cols["basket"] is not None
    reason = (
        F.when(F.col("_bad"), REASON_UNREADABLE)
        .when(user == "", REASON_USER)
        .when(item == "", REASON_ITEM)
        .when(at.isNull(), REASON_TIME)
        .when((qty_s != "") & ~(qty.isNotNull() & (qty > 0)), REASON_QTY)
        .when((price_s != "") & ~(price.isNotNull() & (price > 0)), REASON_PRICE)
    )
    if explicit:
        reason = reason.when(basket_s == "", REASON_BASKET)
    # Prices are float32 natively (parsed as f64, then rounded once to f32).
    price32 = F.when(price_s != "", price.cast("float"))
    basket = basket_s if explicit else F.floor(at / DAY_MS).cast("long").cast("string")
    lines = t.select(
        "_line",
        reason.alias("reason"),
        user.alias("user"),
        item.alias("item"),
        basket.alias("basket"),
        at.alias("at"),
        price32.alias("price"),
        F.when(cat_s != "", cat_s).alias("category"),
    )
    return lines, raw, fmt


def read_users(spark, path, fmt, buyers):
    """User attribute lines with their reason; `buyers` = users with a usable line."""
    from pyspark.sql import functions as F

    raw, fmt = read_table(spark, path, fmt)
    cols = {k: find_column([c for c in raw.columns if c != "_line"], v)
            for k, v in USER_COLUMNS.items()}
    if cols["user"] is None:
        raise JobError("user attributes: no `user` column")
    f = {k: trimmed(raw, c) for k, c in cols.items()}
    raw = raw.select("*", *[v.alias(f"_{k}") for k, v in f.items()])
    g = {k: F.col(f"_{k}") for k in f}
    known = raw.join(buyers.select(F.col("user").alias("_user"), F.lit(True).alias("_known")),
                     on="_user", how="left")

    def age_band(y):
        return F.when(y < 25, 0).otherwise(F.least(((y - 25) / 5).cast("long") + 1, F.lit(AGE_BANDS - 1)))

    age_n = F.when(g["age"].rlike(UINT_RE), g["age"].cast("decimal(38,0)"))
    age_ok = age_n.isNotNull() & (age_n <= 150)
    band = g["ageBand"]
    band_num = F.when(band.rlike(UINT_RE), band.cast("decimal(38,0)"))
    lt_rest = F.regexp_replace(F.expr("substring(_ageBand, 2)"), r"(?U)^\s+|\s+$", "")
    gt_src = F.when(band.startswith(">"), F.expr("substring(_ageBand, 2)")).otherwise(
        F.expr("substring(_ageBand, 1, length(_ageBand) - 1)"))
    gt_rest = F.regexp_replace(F.regexp_replace(gt_src, r"(?U)^\s+|\s+$", ""), "^=+", "")
    dash = F.regexp_extract(band, r"^([^-]*)-(.*)$", 1)
    dash_hi = F.regexp_extract(band, r"^([^-]*)-(.*)$", 2)
    lo_t = F.regexp_replace(dash, r"(?U)^\s+|\s+$", "")
    hi_t = F.regexp_replace(dash_hi, r"(?U)^\s+|\s+$", "")
    u32 = lambda c: F.when(c.rlike(UINT_RE), c.cast("decimal(38,0)"))  # noqa: E731
    u32_ok = lambda c: c.rlike(UINT_RE) & (c.cast("decimal(38,0)") <= 4294967295)  # noqa: E731
    band_val = (
        F.when(band_num.isNotNull() & (band_num <= 255), F.when(band_num < AGE_BANDS, band_num.cast("long")))
        .when(band.startswith("<"), F.when(u32_ok(lt_rest), age_band(F.greatest(u32(lt_rest).cast("long") - 1, F.lit(0)))))
        .when(band.startswith(">") | band.endswith("+"), F.when(u32_ok(gt_rest), age_band(u32(gt_rest).cast("long"))))
        .when(band.contains("-"), F.when(u32_ok(lo_t) & u32_ok(hi_t) & (u32(lo_t) <= u32(hi_t)),
                                         age_band(u32(lo_t).cast("long"))))
    )
    inc_band_n = F.when(g["incomeBand"].rlike(UINT_RE), g["incomeBand"].cast("decimal(38,0)"))
    inc_band_ok = inc_band_n.isNotNull() & (inc_band_n >= 1) & (inc_band_n <= 5)
    income = finite_float(g["income"])
    income_ok = income.isNotNull() & (income >= 0)
    income_band = (F.when(income < 3000, 1).when(income < 6000, 2).when(income < 12000, 3)
                   .when(income < 25000, 4).otherwise(5))
    lat, lng = finite_float(g["lat"]), finite_float(g["lng"])
    latlng_given = (g["lat"] != "") | (g["lng"] != "")
    latlng_ok = lat.isNotNull() & lng.isNotNull() & lat.between(-90, 90) & lng.between(-180, 180)
    reason = (
        F.when(unreadable(raw.select(*[c for c in raw.columns if not c.startswith("_")])),
               REASON_UNREADABLE)
        .when(F.col("_known").isNull(), REASON_UNKNOWN_USER)
        .when((g["age"] != "") & ~age_ok, REASON_AGE)
        .when((g["age"] == "") & (band != "") & band_val.isNull(), REASON_AGE_BAND)
        .when((g["incomeBand"] != "") & ~inc_band_ok, REASON_INCOME_BAND)
        .when((g["incomeBand"] == "") & (g["income"] != "") & ~income_ok, REASON_INCOME)
        .when(latlng_given & ~latlng_ok, REASON_LATLNG)
    )
    out = known.select(
        "_line",
        reason.alias("reason"),
        g["user"].alias("user"),
        F.when(g["age"] != "", age_band(age_n.cast("long"))).when(band != "", band_val).alias("age_band"),
        F.when(g["incomeBand"] != "", inc_band_n.cast("long"))
        .when(g["income"] != "", income_band).alias("income_band"),
        F.when(g["area"] != "", g["area"]).alias("area"),
        F.when(latlng_given, lat).alias("lat"),
        F.when(latlng_given, lng).alias("lng"),
    )
    return out, raw, fmt


def line_report(lines, name):
    """`ReadReport`: lines, used, malformed per reason, the first ten (line, reason).
    Line numbers count records from 2 (the header is line 1), as natively."""
    from pyspark.sql import functions as F

    counts = {r["reason"]: r["n"] for r in
              lines.groupBy("reason").agg(F.count(F.lit(1)).alias("n")).collect()}
    total = sum(counts.values())
    ok = counts.pop(None, 0)
    examples = []
    if counts:
        first = (lines.where(F.col("reason").isNotNull()).orderBy("_line")
                 .select("_line", "reason").limit(10).collect())
        # monotonically_increasing_id = partition << 33 | index in partition.
        sizes = {r["p"]: r["n"] for r in lines.groupBy(F.shiftright("_line", 33).alias("p"))
                 .agg(F.count(F.lit(1)).alias("n")).collect()}
        before, acc = {}, 0
        for p in sorted(sizes):
            before[p] = acc
            acc += sizes[p]
        for r in first:
            p, i = r["_line"] >> 33, r["_line"] & ((1 << 33) - 1)
            examples.append([2 + before[p] + i, r["reason"]])
    return {"name": name, "lines": total, "ok": ok,
            "malformed": dict(sorted(counts.items())), "examples": examples}


def summary(rep):
    s = f"{rep['lines']} lines, {rep['ok']} used, {sum(rep['malformed'].values())} malformed"
    for reason, n in rep["malformed"].items():
        s += f"; {reason}: {n}"
    return s


# ----------------------------------------------------------------------------------
# Aggregation


def rust_round(x):
    """f64::round: half away from zero."""
    if x < 0:
        return -rust_round(-x)
    r = math.floor(x)
    return r + 1.0 if x - r >= 0.5 else r


def round4(x):
    return rust_round(x * 1e4) / 1e4


def f32(x):
    """The shortest decimal of the nearest float32 (what serde writes for an f32)."""
    import numpy as np

    return float(str(np.float32(x)))


def run(spark, a):
    from pyspark import StorageLevel
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    t0 = _time.time()
    lines, raw, fmt = read_purchases(spark, a.purchases, a.format)
    lines = lines.persist(StorageLevel.MEMORY_AND_DISK)
    if a.save_parquet:
        raw.drop("_line").write.mode("overwrite").parquet(f"{a.save_parquet}/purchases")
    report = {"purchases": line_report(lines, "purchase log")}
    log(f"purchase log: {summary(report['purchases'])}")
    for line, reason in report["purchases"]["examples"]:
        log(f"  line {line}: {reason}")
    phase("lines read and checked")
    good = lines.where(F.col("reason").isNull()).drop("reason")

    # Items and users in order of their first usable line (the native interning order).
    items = good.groupBy("item").agg(F.min("_line").alias("first"),
                                     F.min_by("category", "_line").alias("category"))

    # Basket items: GROUP BY user, basket, item; basket time = earliest line of the basket.
    bi = good.groupBy("user", "basket", "item").agg(
        F.sum(F.col("price").cast("double")).alias("psum"), F.count("price").alias("pn"))
    bt = good.groupBy("user", "basket").agg(F.min("at").alias("at"))
    facts = (bi.join(bt, ["user", "basket"])
             .select("user", "basket", "item", "at",
                     F.when(F.col("pn") > 0,
                            (F.col("psum").cast("float").cast("double") /
                             F.col("pn").cast("float").cast("double")).cast("float"))
                     .alias("price"))
             .persist(StorageLevel.MEMORY_AND_DISK))

    # User attributes: the last usable line per user wins.
    users = None
    area_order = []
    if a.users:
        buyers = good.select("user").distinct()
        ulines, uraw, _ = read_users(spark, a.users, a.format, buyers)
        ulines = ulines.persist(StorageLevel.MEMORY_AND_DISK)
        if a.save_parquet:
            uraw.select(*[c for c in uraw.columns if not c.startswith("_")]) \
                .write.mode("overwrite").parquet(f"{a.save_parquet}/users")
        report["users"] = line_report(ulines, "user attributes")
        log(f"user attributes: {summary(report['users'])}")
        ugood = ulines.where(F.col("reason").isNull())
        last = Window.partitionBy("user").orderBy(F.col("_line").desc())
        users = (ugood.withColumn("_r", F.row_number().over(last)).where("_r = 1")
                 .drop("_r", "reason").persist(StorageLevel.MEMORY_AND_DISK))
        # Areas in the order their name first appears on a usable line.
        area_order = [r["area"] for r in ugood.where(F.col("area").isNotNull())
                      .groupBy("area").agg(F.min("_line").alias("f")).orderBy("f").collect()]

    phase("users read and checked")
    as_of = facts.agg(F.max("at")).first()[0]
    hl = a.half_life_days
    w = F.pow(F.lit(2.0), -((F.lit(as_of) - F.col("at")) / DAY_MS) / hl)
    # Popularity and prices: one GROUP BY item (the price aggregates skip NULL prices).
    p = F.col("price").cast("double")
    per_item = facts.groupBy("item").agg(
        F.count(F.lit(1)).alias("baskets"),
        F.sum(w).alias("popularity"),
        F.count(p).alias("pcount"), F.avg(p).alias("pmean"), F.min(p).alias("pmin"),
        F.max(p).alias("pmax"), median(p, a).alias("pmedian"),
    )

    # Repurchase: LAG over (item, user) ordered by basket time; gaps of ≥ half a day.
    iu = Window.partitionBy("item", "user").orderBy("at")
    g = facts.select("item", "user", "at").withColumn(
        "gap", (F.col("at") - F.lag("at").over(iu)) / DAY_MS)
    per_buyer = facts.groupBy("item", "user").agg(F.count(F.lit(1)).alias("n"))
    buyers = per_buyer.groupBy("item").agg(
        F.count(F.lit(1)).alias("buyers"),
        F.sum(F.when(F.col("n") > 1, 1).otherwise(0)).alias("repeat_buyers"))
    gaps = g.where(F.col("gap") >= 0.5).groupBy("item").agg(
        F.count(F.lit(1)).alias("ngaps"), median(F.col("gap"), a).alias("gmedian"))

    stats = items.join(per_item, "item").join(buyers, "item").join(gaps, "item", "left")

    age_counts, inc_counts, area_pop = {}, {}, {}
    if users is not None:
        fu = facts.join(users.select("user", "area"), "user")
        # Lift: distinct buyers per (item, band).
        # Lift: distinct buyers per (item, age band, income band), summed per band here.
        dist = facts.select("item", "user").distinct().join(
            users.where(F.col("age_band").isNotNull() | F.col("income_band").isNotNull())
            .select("user", "age_band", "income_band"), "user")
        for r in (dist.groupBy("item", "age_band", "income_band")
                  .agg(F.count(F.lit(1)).alias("n")).collect()):
            for col, store in (("age_band", age_counts), ("income_band", inc_counts)):
                if r[col] is not None:
                    c = store.setdefault(r["item"], {})
                    c[int(r[col])] = c.get(int(r[col]), 0) + r["n"]
        for r in (fu.where(F.col("area").isNotNull()).groupBy("item", "area")
                  .agg(F.sum(w).alias("pop")).collect()):
            area_pop.setdefault(r["item"], {})[r["area"]] = r["pop"]
        centres = {r["area"]: (r["la"], r["ln"]) for r in
                   users.where(F.col("area").isNotNull() & F.col("lat").isNotNull())
                   .groupBy("area").agg(F.avg("lat").alias("la"), F.avg("lng").alias("ln")).collect()}
    else:
        centres = {}

    phase("lifts and area popularity")
    rows = sorted(stats.collect(), key=lambda r: r["first"])
    phase("per-item statistics")
    index = {r["item"]: i for i, r in enumerate(rows)}

    # Repurchase rate, smoothed toward the base rate with `repurchase_prior` buyers.
    all_buyers = sum(r["buyers"] for r in rows)
    all_repeat = sum(r["repeat_buyers"] for r in rows)
    base_rate = all_repeat / all_buyers if all_buyers > 0 else 0.0
    k_rep = 10.0

    age_lift = smoothed_lift(rows, age_counts, AGE_BANDS, 0, 20.0)
    inc_lift = smoothed_lift(rows, inc_counts, INCOME_BANDS, 1, 20.0)

    emb, has_emb, dim = {}, {}, 0
    if a.dim > 0:
        emb, dim = embeddings(spark, facts, rows, index, a)
    phase("embeddings")
    areas = [(name, centres[name]) for name in area_order if name in centres]

    offers, price_report = [], {}
    for r in rows:
        it = r["item"]
        price = r["pmedian"] if (r["pcount"] or 0) > 0 and r["pmedian"] > 0 else 1.0
        o = {"id": it, "title": it, "category": r["category"] or "uncategorized",
             "price": float(price), "storeId": "store", "popularity": round4(r["popularity"])}
        if (r["ngaps"] or 0) >= 2:
            o["repurchaseDays"] = round4(r["gmedian"])
        if it in emb:
            o["embedding"] = emb[it]
        if age_lift.get(it) is not None:
            o["ageLift"] = [f32(max(round4(x), 1e-4)) for x in age_lift[it]]
        if inc_lift.get(it) is not None:
            o["incomeLift"] = [f32(max(round4(x), 1e-4)) for x in inc_lift[it]]
        if areas:
            ap = area_pop.get(it, {})
            o["areaPopularity"] = [round4(ap.get(name, 0.0)) for name, _ in areas]
        rate = (r["repeat_buyers"] + k_rep * base_rate) / (r["buyers"] + k_rep)
        o["repurchaseRate"] = min(max(round4(rate), 1e-4), 1.0)
        offers.append(o)
        n = r["pcount"] or 0
        price_report[it] = {
            "baskets": r["baskets"], "buyers": r["buyers"], "repeatBuyers": r["repeat_buyers"],
            "price": {"count": n, "mean": r["pmean"] if n else 0.0, "min": r["pmin"] if n else 0.0,
                      "median": float(r["pmedian"]) if n else 0.0, "max": r["pmax"] if n else 0.0},
        }
    catalog = {"version": 1}
    if dim > 0:
        catalog["embeddingDim"] = dim
    catalog["stores"] = [{"id": "store", "name": "store", "lat": a.store_lat, "lng": a.store_lng,
                          "kind": "store"}]
    catalog["offers"] = offers
    if areas:
        catalog["areas"] = [{"id": name, "lat": la, "lng": ln} for name, (la, ln) in areas]
    n_baskets = bt.count()
    log(f"{n_baskets} baskets → {len(offers)} offers, {len(areas)} areas, embedding dim {dim}")
    if a.json:
        write_json(a.json, catalog)
    if a.prices:
        write_json(a.prices, dict(sorted(price_report.items())))
    report.update({"baskets": n_baskets, "offers": len(offers), "areas": len(areas),
                   "embeddingDim": dim, "quantiles": a.quantiles, "accuracy": a.accuracy,
                   "factorisation": a.factorisation, "inputFormat": fmt,
                   "seconds": round(_time.time() - t0, 2)})
    if a.report:
        write_json(a.report, report)
    for df in (lines, facts) + ((users,) if users is not None else ()):
        df.unpersist()
    return report


# Just above one half: with it, percentile_approx returns the upper middle value of an
# even count (the rank ⌈(½ + ε)·n⌉ = n/2 + 1) while ½ gives the lower one (⌈n/2⌉).
MEDIAN_EPS = 1e-9


def median(col, a):
    """The median as PERCENTILE_CONT(0.5): the mean of the two middle values.

    approx: `percentile_approx` at ½ and ½ + ε, averaged. Spark keeps every value of a
    group while n < accuracy / 2 (no two of its samples can be merged yet), so up to
    there the result is the exact median; beyond, each of the two is within n/accuracy
    ranks of its target (Spark's guarantee). exact: Spark's `percentile` (all values of
    the group in memory), interpolated the same way."""
    from pyspark.sql import functions as F

    if a.quantiles == "exact":
        return F.percentile(col, 0.5)
    q = F.percentile_approx(col, F.array(F.lit(0.5), F.lit(0.5 + MEDIAN_EPS)), a.accuracy)
    return (q[0] + q[1]) / 2.0


def smoothed_lift(rows, counts, bands, first_band, prior):
    """`aggregate::smoothed_lift` over distinct-buyer counts per band."""
    vec = {}
    for r in rows:
        c = counts.get(r["item"])
        if c:
            v = [0.0] * bands
            for b, n in c.items():
                if bands == AGE_BANDS:
                    v[min(b, AGE_BANDS - 1)] += n
                else:
                    v[min(max(b, 1), 5) - first_band] += n
            vec[r["item"]] = v
    total = [0.0] * bands
    for r in rows:  # the native order of the sum (item index)
        v = vec.get(r["item"])
        if v:
            for b in range(bands):
                total[b] += v[b]
    grand = 0.0
    for t in total:
        grand += t
    if grand <= 0:
        return {}
    base = [t / grand for t in total]
    out = {}
    for it, c in vec.items():
        n = 0.0
        for x in c:
            n += x
        if n <= 0:
            continue
        out[it] = [((c[b] + prior * base[b]) / (n + prior)) / base[b] if base[b] > 0 else 1.0
                   for b in range(bands)]
    return out


# ----------------------------------------------------------------------------------
# Embeddings


def embeddings(spark, facts, rows, index, a):
    """Co-purchase embeddings of items in ≥ min_baskets baskets: {item: [f32]}, dim."""
    import numpy as np
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    dim = a.dim
    qual = [r["item"] for r in rows if r["baskets"] >= a.min_baskets]
    m = len(qual)
    if m <= dim:
        return {}, 0
    dense = spark.createDataFrame([(it, i) for i, it in enumerate(qual)],
                                  T.StructType([T.StructField("item", T.StringType()),
                                                T.StructField("d", T.IntegerType())]))
    # Qualifying items per basket, then every ordered pair (a ≠ b): GROUP BY i, j.
    per_basket = (facts.join(F.broadcast(dense), "item").groupBy("user", "basket")
                  .agg(F.collect_list("d").alias("ds")).where(F.size("ds") > 1))
    pairs = per_basket.select(F.explode(F.expr(
        "flatten(transform(ds, a -> transform(filter(ds, b -> b != a), b -> named_struct('i', a, 'j', b))))"
    )).alias("p")).select("p.i", "p.j")
    counts = pairs.groupBy("i", "j").agg(F.count(F.lit(1)).cast("double").alias("c"))
    marg = np.zeros(m)
    for r in counts.groupBy("i").agg(F.sum("c").alias("s")).collect():
        marg[r["i"]] = r["s"]
    total = 0.0
    for x in marg:  # sequential sums, as natively
        total += float(x)
    if total <= 0:
        return {}, 0
    smoothed = [float(x) ** 0.75 for x in marg]
    st = 0.0
    for x in smoothed:
        st += x
    sc = spark.sparkContext
    b_marg = sc.broadcast(marg)
    b_smooth = sc.broadcast(np.array(smoothed))
    n_parts = max(1, int(spark.conf.get("spark.sql.shuffle.partitions")))

    def to_block(batches):
        """The PPMI rows one partition holds, sorted by (row, col), as one binary value."""
        import io

        import pyarrow as pa

        ii, jj, cc = [], [], []
        for b in batches:
            ii.append(b.column("i").to_numpy())
            jj.append(b.column("j").to_numpy())
            cc.append(b.column("c").to_numpy())
        if not ii or sum(len(x) for x in ii) == 0:
            return
        i, j, c = (np.concatenate(x) for x in (ii, jj, cc))
        mg, sm = b_marg.value, b_smooth.value
        pmi = np.log((c / total) / ((mg[i] / total) * (sm[j] / st)))
        keep = pmi > 0.0
        i, j, v = i[keep], j[keep], pmi[keep].astype(np.float32)
        order = np.lexsort((j, i))
        buf = io.BytesIO()
        np.savez(buf, i=i[order].astype(np.int32), j=j[order].astype(np.int32), v=v[order])
        yield pa.RecordBatch.from_arrays([pa.array([buf.getvalue()], type=pa.binary())], ["blob"])

    def load(blob):
        import io

        z = np.load(io.BytesIO(blob))
        return z["i"], z["j"], z["v"].astype(np.float64)

    phase("co-occurrence marginals")
    blocks = (counts.repartition(n_parts, "i").mapInArrow(to_block, "blob binary")
              .rdd.map(lambda r: load(r["blob"])).persist())
    if a.factorisation == "mllib":
        u = mllib_svd(spark, blocks, m, dim)
    else:
        u = randomized_svd(sc, blocks, m, dim, a.seed)
    blocks.unpersist()
    out = {}
    for d, it in enumerate(qual):
        row = u[d]
        if np.all(row == 0.0):
            continue
        out[it] = [f32(x) for x in row]
    return out, dim


def spmm(sc, blocks, m, x):
    """A · X for the sparse PPMI blocks and a dense m × l X (broadcast). Each row is
    accumulated over its columns in increasing order, as the native CSR product."""
    import numpy as np

    bx = sc.broadcast(x)

    def mul(block):
        i, j, v = block
        xv = bx.value
        rows, starts = np.unique(i, return_index=True)
        ends = np.r_[starts[1:], len(i)]
        out = np.empty((len(rows), xv.shape[1]))
        # Row by row, the products added in column order (reduceat along axis 0 adds
        # them one after another), in chunks of about 2^18 entries.
        r0 = 0
        while r0 < len(rows):
            r1 = int(np.searchsorted(starts, starts[r0] + (1 << 18), side="left"))
            r1 = max(r1, r0 + 1)
            s0, s1 = starts[r0], ends[r1 - 1]
            prod = v[s0:s1, None] * xv[j[s0:s1]]
            out[r0:r1] = np.add.reduceat(prod, starts[r0:r1] - s0, axis=0)
            r0 = r1
        return rows, out

    y = np.zeros((m, x.shape[1]))
    for rows, part in blocks.map(mul).collect():
        y[rows] = part
    bx.unpersist()
    return y


def seq_dot(a, b):
    """Σ a·b summed left to right (ndarray's dot over strided columns)."""
    import numpy as np

    return float(np.cumsum(a * b)[-1]) if len(a) else 0.0


def orthonormalise(y):
    """Modified Gram–Schmidt on the columns (embed::orthonormalise)."""
    import numpy as np

    y = np.array(y, dtype=np.float64, order="F")
    k = y.shape[1]
    for j in range(k):
        for i in range(j):
            r = seq_dot(y[:, i], y[:, j])
            y[:, j] = y[:, j] + (-r) * y[:, i]
        norm = math.sqrt(seq_dot(y[:, j], y[:, j]))
        if norm > 1e-12:
            y[:, j] = y[:, j] / norm
        else:
            y[:, j] = 0.0
    return y


def jacobi_eigen(a):
    """Cyclic Jacobi rotations (embed::jacobi_eigen): eigenvalues, eigenvectors (columns)."""
    import numpy as np

    a = np.array(a, dtype=np.float64)
    n = a.shape[0]
    v = np.eye(n)
    for _ in range(100):
        off = 0.0
        for i in range(n):
            for j in range(n):
                if i != j:
                    off += a[i, j] * a[i, j]
        if off < 1e-22:
            break
        for p in range(n):
            for q in range(p + 1, n):
                if abs(a[p, q]) < 1e-300:
                    continue
                theta = (a[q, q] - a[p, p]) / (2.0 * a[p, q])
                t = math.copysign(1.0, theta) / (abs(theta) + math.sqrt(theta * theta + 1.0))
                if theta == 0.0:
                    t = 1.0
                c = 1.0 / math.sqrt(t * t + 1.0)
                s = t * c
                ap, aq = a[:, p].copy(), a[:, q].copy()
                a[:, p] = c * ap - s * aq
                a[:, q] = s * ap + c * aq
                ap, aq = a[p, :].copy(), a[q, :].copy()
                a[p, :] = c * ap - s * aq
                a[q, :] = s * ap + c * aq
                vp, vq = v[:, p].copy(), v[:, q].copy()
                v[:, p] = c * vp - s * vq
                v[:, q] = s * vp + c * vq
    return np.diag(a).copy(), v


def gaussians(seed, n):
    """The first n normals of the native generator (embed::SplitMix64 with Box–Muller:
    two uniforms ((x >> 11) + 0.5) / 2^53 per normal): the integer steps vectorised,
    log and cos from the C library as natively."""
    import numpy as np

    gamma = np.uint64(0x9E3779B97F4A7C15)
    z = np.uint64(seed) + np.arange(1, 2 * n + 1, dtype=np.uint64) * gamma
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    f = (((z >> np.uint64(11)).astype(np.float64) + 0.5) / float(1 << 53)).tolist()
    log, cos, sqrt, tau = math.log, math.cos, math.sqrt, 2.0 * math.pi
    return np.array([sqrt(-2.0 * log(f[2 * i])) * cos(tau * f[2 * i + 1]) for i in range(n)])


def randomized_svd(sc, blocks, m, k, seed):
    """embed::randomized_svd: top-k left singular vectors scaled by √σ."""
    import numpy as np

    l = min(k + 10, m)
    omega = gaussians(seed, m * l).reshape(m, l)
    phase("test matrix")
    q = orthonormalise(spmm(sc, blocks, m, omega))
    phase("PPMI blocks and the first product")
    for _ in range(3):
        q = orthonormalise(spmm(sc, blocks, m, q))
    aq = spmm(sc, blocks, m, q)
    phase("power iterations")
    bbt = aq.T @ aq
    e, v = jacobi_eigen(bbt)
    order = sorted(range(l), key=lambda x: -e[x])
    u = np.zeros((m, k))
    for c, idx in enumerate(order[:k]):
        sigma = math.sqrt(max(e[idx], 0.0))
        u[:, c] = (q @ v[:, idx]) * math.sqrt(sigma)
    return u


def mllib_svd(spark, blocks, m, k):
    """Spark MLlib's RowMatrix.computeSVD of the PPMI matrix: rows V·√σ (the right
    singular vectors, which for the nearly symmetric PPMI span the same subspace)."""
    import numpy as np
    from pyspark.mllib.linalg import Vectors
    from pyspark.mllib.linalg.distributed import RowMatrix

    def rows(block):
        i, j, v = block
        out = []
        starts = np.flatnonzero(np.r_[True, i[1:] != i[:-1]])
        ends = np.r_[starts[1:], len(i)]
        for s, e in zip(starts, ends):
            out.append(Vectors.sparse(m, j[s:e].tolist(), v[s:e].tolist()))
        return out

    mat = RowMatrix(blocks.flatMap(rows), numRows=m, numCols=m)
    svd = mat.computeSVD(k, computeU=False)
    s = np.array(svd.s.toArray())
    vmat = svd.V.toArray()
    u = np.zeros((m, k))
    u[:, : len(s)] = vmat[:, : len(s)] * np.sqrt(np.maximum(s, 0.0))
    return u


# ----------------------------------------------------------------------------------


def write_json(path, value):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def log(msg):
    print(msg, file=sys.stderr, flush=True)


_T0 = [_time.time()]
VERBOSE = [False]


def phase(name):
    """With --verbose, the seconds since the previous phase, on stderr."""
    if VERBOSE[0]:
        now = _time.time()
        log(f"  [{now - _T0[0]:7.1f} s] {name}")
        _T0[0] = now


def main(argv=None):
    a = parse_args(sys.argv[1:] if argv is None else argv)
    runs = [a]
    if a.runs:
        with open(a.runs, encoding="utf-8") as f:
            runs = [parse_args(r) for r in json.load(f)]
    VERBOSE[0] = a.verbose
    spark = spark_session(a.master, a.driver_memory, a.partitions)
    phase("spark session")
    try:
        for r in runs:
            if r.partitions:
                spark.conf.set("spark.sql.shuffle.partitions", str(r.partitions))
            run(spark, r)
    except JobError as e:
        log(f"goods-ranker-enrich (spark): {e}")
        return 1
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
