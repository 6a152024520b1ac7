"""Conformance of `cost export sql` with `cost replay` on real engines.

Generates a usage log that hits every pricing rule the price book carries
(cache reads and writes inside the prompt, reasoning beside the output,
long-context cliffs on both sides of each threshold, batch/flex/priority,
per-request fees, dated price periods, time-of-day windows, aliases and
case), prices it with `cost replay` (per row and per model x day) and with
the generated SQL on DuckDB and on Spark SQL (local mode), and requires the
same cost for every row and the same total for every model and day, to the
picodollar. Also checks that bad input gets the same classes of error.

usage: conformance.py --cost PATH --rows N --workdir DIR [--engines duckdb,spark]
Prints one JSON object (timings, counts) on stdout; exits 1 on a difference.
"""

import argparse
import csv
import datetime as dt
import json
import os
import random
import subprocess
import sys
import time

DAY0 = dt.date(1970, 1, 1)
LOW = dt.date(2024, 1, 1)
HIGH = dt.date(2027, 1, 1)
PARTS = ["input", "cache_read", "cache_write", "cache_write_1h", "output", "reasoning"]
COLUMNS = ["row_id", "timestamp", "model", "input_tokens", "cache_read_tokens",
           "cache_write_tokens", "cache_write_1h_tokens", "output_tokens",
           "reasoning_tokens", "service_tier"]


def run(cmd, **kw):
    out = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if out.returncode != 0:
        sys.exit(f"failed ({out.returncode}): {' '.join(cmd)}\n{out.stderr}")
    return out.stdout


def book_lines(cost, workdir):
    """Offered price lines (model, tier, dates, prompt range, 1h price) from the export."""
    path = os.path.join(workdir, "prices.csv")
    run([cost, "export", "prices", "-o", path])
    lines = {}
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            if r["offered"] != "true" or r["window"]:
                continue
            key = (r["model_id"], r["service_tier"], r["effective_from"], r["effective_to"],
                   r["prompt_tokens_above"], r["prompt_tokens_up_to"])
            line = lines.setdefault(key, {"has_1h": False, "fee": False})
            if r["component"] == "cache_write_1h" and r["price_usd"]:
                line["has_1h"] = True
            if r["component"] == "per_request" and r["price_usd"] not in ("", "0"):
                line["fee"] = True
    out = []
    for (model, tier, frm, to, above, up_to), extra in sorted(lines.items()):
        lo = max(dt.date.fromisoformat(frm), LOW) if frm else LOW
        hi = min(dt.date.fromisoformat(to), HIGH) if to else HIGH
        if lo >= hi:
            continue
        out.append({
            "model": model, "tier": tier, "lo": lo, "hi": hi,
            "above": int(above) if above else None,
            "up_to": int(up_to) if up_to else None, **extra,
        })
    aliases_path = os.path.join(workdir, "aliases.csv")
    run([cost, "export", "prices", "--table", "aliases", "-o", aliases_path])
    spellings = {}
    with open(aliases_path, newline="") as f:
        for r in csv.DictReader(f):
            spellings.setdefault(r["model_id"], []).append(r["alias"])
    return out, spellings


def prompt_size(rng, line):
    lo = (line["above"] + 1) if line["above"] is not None else 0
    hi = line["up_to"] if line["up_to"] is not None else max(lo * 2, 300_000)
    pick = rng.random()
    if pick < 0.15:
        return lo  # one token past the threshold (or an empty prompt)
    if pick < 0.3:
        return hi  # exactly at the next threshold: still this tier
    if line["above"] is None and hi > 200_000:
        return rng.randint(lo, 200_000) if rng.random() < 0.8 else rng.randint(lo, hi)
    return rng.randint(lo, hi)


def generate(path, rows, lines, spellings, seed):
    rng = random.Random(seed)
    tiers_spelled = {"standard": ["standard", "default", "auto", "", "STANDARD"],
                     "batch": ["batch"], "flex": ["flex"], "priority": ["priority", "Priority"]}
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        for i in range(rows):
            line = lines[rng.randrange(len(lines))]
            span = (line["hi"] - line["lo"]).days
            # The first and last day of a period half the time: dated prices at their edges.
            edge = rng.random()
            day = line["lo"] if edge < 0.2 else (line["hi"] - dt.timedelta(days=1) if edge < 0.4
                                                  else line["lo"] + dt.timedelta(days=rng.randrange(span)))
            secs = rng.randrange(86400)
            ts = dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=secs)
            stamp = ts.strftime("%Y-%m-%dT%H:%M:%S") + ("Z" if rng.random() < 0.7 else "+00:00")
            prompt = prompt_size(rng, line)
            cr = rng.randint(0, prompt) if rng.random() < 0.5 else 0
            cw = rng.randint(0, prompt - cr) if rng.random() < 0.3 else 0
            c1h = rng.randint(0, prompt - cr - cw) if line["has_1h"] and rng.random() < 0.3 else 0
            out = rng.randint(0, 20_000)
            reasoning = rng.randint(0, 30_000) if rng.random() < 0.4 else 0
            names = spellings.get(line["model"], [line["model"]])
            model = rng.choice(names)
            if rng.random() < 0.2:
                model = model.upper()
            tier = rng.choice(tiers_spelled[line["tier"]])
            w.writerow([i, stamp, model, prompt, cr, cw, c1h, out, reasoning, tier])


def replay(cost, data, workdir):
    t = time.time()
    per_row = os.path.join(workdir, "replay_rows.csv")
    run([cost, "replay", data, "--by", "row_id", "--format", "csv", "-o", per_row, "--strict"])
    t_rows = time.time() - t
    t = time.time()
    daily = os.path.join(workdir, "replay_daily.csv")
    run([cost, "replay", data, "--by", "model,day", "--format", "csv", "-o", daily, "--strict"])
    return per_row, daily, t_rows, time.time() - t


USAGE_DUCKDB = """CREATE OR REPLACE TABLE usage AS SELECT * FROM read_csv('{data}', header = true,
  columns = {{'row_id': 'BIGINT', 'timestamp': 'VARCHAR', 'model': 'VARCHAR', 'input_tokens': 'BIGINT',
  'cache_read_tokens': 'BIGINT', 'cache_write_tokens': 'BIGINT', 'cache_write_1h_tokens': 'BIGINT',
  'output_tokens': 'BIGINT', 'reasoning_tokens': 'BIGINT', 'service_tier': 'VARCHAR'}})"""


def statements(sql):
    return [s for s in (p.strip() for p in sql.split(";\n")) if s and not all(
        l.startswith("--") for l in s.splitlines())]


def compare(con, per_row, daily, rows_table, engine):
    """Compares in DuckDB: the engine's rows (`rows_table`) against replay's."""
    con.execute(f"""CREATE OR REPLACE TABLE replay_rows AS SELECT CAST(row_id AS BIGINT) AS row_id,
        CAST(cost_usd AS DECIMAL(38,12)) AS cost_usd FROM read_csv('{per_row}', header = true, all_varchar = true)
        WHERE row_id IS NOT NULL AND row_id <> ''""")
    bad_status = con.execute(f"SELECT count(*) FROM {rows_table} WHERE cost_status <> 'ok'").fetchone()[0]
    n_sql = con.execute(f"SELECT count(*) FROM {rows_table}").fetchone()[0]
    n_replay = con.execute("SELECT count(*) FROM replay_rows").fetchone()[0]
    diff = con.execute(f"""SELECT count(*) FROM {rows_table} s FULL JOIN replay_rows r USING (row_id)
        WHERE s.cost_usd IS DISTINCT FROM r.cost_usd""").fetchone()[0]
    sample = con.execute(f"""SELECT s.row_id, r.row_id, s.cost_status, s.cost_usd, r.cost_usd FROM {rows_table} s
        FULL JOIN replay_rows r USING (row_id) WHERE s.cost_usd IS DISTINCT FROM r.cost_usd LIMIT 5""").fetchall()
    return {f"{engine}_rows": n_sql, f"{engine}_unpriced_rows": bad_status, "replay_rows": n_replay,
            f"{engine}_row_differences": diff, f"{engine}_difference_sample": [list(map(str, s)) for s in sample]}


def compare_daily(con, daily, engine_daily, engine):
    con.execute(f"""CREATE OR REPLACE TABLE replay_daily AS SELECT model, CAST(day AS DATE) AS day,
        CAST(cost_usd AS DECIMAL(38,12)) AS cost_usd FROM read_csv('{daily}', header = true, all_varchar = true)
        WHERE model IS NOT NULL AND day IS NOT NULL AND day <> ''""")
    n = con.execute("SELECT count(*) FROM replay_daily").fetchone()[0]
    diff = con.execute(f"""SELECT count(*) FROM {engine_daily} s FULL JOIN replay_daily r
        ON s.cost_model_id = r.model AND s.cost_day = r.day
        WHERE s.cost_usd IS DISTINCT FROM r.cost_usd""").fetchone()[0]
    return {f"{engine}_model_days": n, f"{engine}_model_day_differences": diff}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cost", required=True)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--engines", default="duckdb,spark")
    ap.add_argument("--seed", type=int, default=20)
    args = ap.parse_args()
    engines = args.engines.split(",")
    os.makedirs(args.workdir, exist_ok=True)
    report = {"rows": args.rows}
    t = time.time()
    lines, spellings = book_lines(args.cost, args.workdir)
    data = os.path.join(args.workdir, "usage.csv")
    generate(data, args.rows, lines, spellings, args.seed)
    report["price_lines_sampled"] = len(lines)
    report["generate_s"] = round(time.time() - t, 2)
    per_row, daily, t_rows, t_daily = replay(args.cost, data, args.workdir)
    report["replay_per_row_s"] = round(t_rows, 2)
    report["replay_model_day_s"] = round(t_daily, 2)
    import duckdb
    con = duckdb.connect()
    failed = False
    for engine in engines:
        sql = run([args.cost, "export", "sql", "--dialect", engine])
        t = time.time()
        if engine == "duckdb":
            con.execute(USAGE_DUCKDB.format(data=data))
            for s in statements(sql):
                con.execute(s)
            con.execute("CREATE OR REPLACE TABLE duckdb_rows AS SELECT row_id, cost_status, cost_usd FROM cost_priced")
            con.execute("CREATE OR REPLACE TABLE duckdb_daily AS SELECT * FROM cost_daily")
        else:
            rows_pq, daily_pq = spark_price(sql, data, args.workdir)
            con.execute(f"CREATE OR REPLACE TABLE spark_rows AS SELECT * FROM read_parquet('{rows_pq}/*.parquet')")
            con.execute(f"CREATE OR REPLACE TABLE spark_daily AS SELECT * FROM read_parquet('{daily_pq}/*.parquet')")
        report[f"{engine}_price_s"] = round(time.time() - t, 2)
        report |= compare(con, per_row, daily, f"{engine}_rows", engine)
        report |= compare_daily(con, daily, f"{engine}_daily", engine)
        failed |= any(report[k] != 0 for k in (f"{engine}_row_differences",
                                                f"{engine}_model_day_differences",
                                                f"{engine}_unpriced_rows"))
        failed |= report[f"{engine}_rows"] != args.rows or report["replay_rows"] != args.rows
    print(json.dumps(report, indent=1))
    sys.exit(1 if failed else 0)


def spark_price(sql, data, workdir):
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession
    from pyspark.sql.types import LongType, StringType, StructField, StructType
    spark = (SparkSession.builder.master("local[2]").appName("cost-conformance")
             .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
             .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    schema = StructType([StructField(c, StringType() if c in ("timestamp", "model", "service_tier") else LongType())
                         for c in COLUMNS])
    spark.read.csv(data, header=True, schema=schema).createOrReplaceTempView("usage")
    for s in statements(sql):
        spark.sql(s)
    rows_pq = os.path.join(workdir, "spark_rows")
    daily_pq = os.path.join(workdir, "spark_daily")
    spark.sql("SELECT row_id, cost_status, cost_usd FROM cost_priced").write.mode("overwrite").parquet(rows_pq)
    spark.sql("SELECT * FROM cost_daily").write.mode("overwrite").parquet(daily_pq)
    spark.stop()
    return rows_pq, daily_pq


if __name__ == "__main__":
    main()
