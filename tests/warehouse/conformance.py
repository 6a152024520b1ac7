"""Conformance of `cost export sql` with `cost replay` on real engines.

Generates a usage log that hits every pricing rule the price book carries
(cache reads and writes inside the prompt, reasoning beside the output,
long-context cliffs on both sides of each threshold, batch/flex/priority,
per-request fees, dated price periods, time-of-day windows, aliases and
case), prices it with `cost replay` (per row and per model x day) and with
the generated SQL on DuckDB and on Spark SQL (local mode), and requires the
same cost for every row and the same total for every model and day, to the
picodollar. Also checks that bad input gets the same classes of error.

With `--shape litellm` the log is LiteLLM's spend-log table (CSV for the
CLI; `startTime` a zoneless TIMESTAMP, the split in `metadata` JSON, some
rows LiteLLM's own cache hits); with `--shape otel` it is OTLP JSON lines
for the CLI and the same spans flattened to attribute-named columns for
the SQL (current and older attribute names, agent spans that are not
requests). The generic shape also carries fast mode and regional
endpoints where the price book offers them.

usage: conformance.py --cost PATH --rows N --workdir DIR [--engines duckdb,spark] [--shape generic|litellm|otel]
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
           "reasoning_tokens", "service_tier", "fast", "regional"]
LITELLM = ["request_id", "call_type", "startTime", "model", "model_group", "prompt_tokens",
           "completion_tokens", "metadata", "cache_hit", "custom_llm_provider", "spend"]
OTEL = ["row_id", "startTimeUnixNano", "gen_ai.operation.name", "gen_ai.response.model",
        "gen_ai.request.model", "gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens",
        "gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens",
        "gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_creation.input_tokens",
        "gen_ai.usage.cache_write.input_tokens", "gen_ai.usage.reasoning.output_tokens",
        "openai.response.service_tier", "openai.request.service_tier", "gen_ai.provider.name",
        "gen_ai.system"]
OTEL_INTS = {"row_id", "startTimeUnixNano"} | {c for c in OTEL if c.startswith("gen_ai.usage.")}


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
            line = lines.setdefault(key, {"has_1h": False, "fee": False,
                                          "fast": bool(r["fast_multiplier"]),
                                          "regional": bool(r["regional_multiplier"])})
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


def draw(rng, lines, spellings, shape):
    """One request as a dict of cost's parts, hitting the price book's rules."""
    line = lines[rng.randrange(len(lines))]
    span = (line["hi"] - line["lo"]).days
    # The first and last day of a period 40% of the time: dated prices at their edges.
    edge = rng.random()
    day = line["lo"] if edge < 0.2 else (line["hi"] - dt.timedelta(days=1) if edge < 0.4
                                          else line["lo"] + dt.timedelta(days=rng.randrange(span)))
    ts = dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=rng.randrange(86400),
                                                             microseconds=rng.randrange(1000) * 1000)
    prompt = prompt_size(rng, line)
    cr = rng.randint(0, prompt) if rng.random() < 0.5 else 0
    cw = rng.randint(0, prompt - cr) if rng.random() < 0.3 else 0
    c1h = (rng.randint(0, prompt - cr - cw) if shape == "generic" and line["has_1h"]
           and rng.random() < 0.3 else 0)
    model = rng.choice(spellings.get(line["model"], [line["model"]]))
    if rng.random() < 0.2:
        model = model.upper()
    return {
        "ts": ts, "model": model, "tier": line["tier"], "input": prompt, "cache_read": cr,
        "cache_write": cw, "cache_write_1h": c1h, "output": rng.randint(0, 20_000),
        "reasoning": rng.randint(0, 30_000) if rng.random() < 0.4 else 0,
        "fast": line["fast"] and rng.random() < 0.5,
        "regional": line["regional"] and rng.random() < 0.5,
    }


TIERS_SPELLED = {"standard": ["standard", "default", "auto", "", "STANDARD"],
                 "batch": ["batch"], "flex": ["flex"], "priority": ["priority", "Priority"]}


def stamp(rng, ts):
    return ts.strftime("%Y-%m-%dT%H:%M:%S") + ("Z" if rng.random() < 0.7 else "+00:00")


def generate(path, rows, lines, spellings, seed, shape="generic"):
    """Writes the log; returns (the path the CLI reads, the path the SQL reads, requests)."""
    rng = random.Random(seed)
    if shape == "litellm":
        # LiteLLM's spend log has no service tier and no 1-hour cache writes.
        lines = [l for l in lines if l["tier"] == "standard"]
        return generate_litellm(path, rows, lines, spellings, rng)
    if shape == "otel":
        return generate_otel(path, rows, lines, spellings, rng)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        for i in range(rows):
            r = draw(rng, lines, spellings, shape)
            flag = lambda on: rng.choice(["true", "1", "TRUE"]) if on else rng.choice(["false", "0", ""])
            w.writerow([i, stamp(rng, r["ts"]), r["model"], r["input"], r["cache_read"], r["cache_write"],
                        r["cache_write_1h"], r["output"], r["reasoning"],
                        rng.choice(TIERS_SPELLED[r["tier"]]), flag(r["fast"]), flag(r["regional"])])
    return path, path, rows


def generate_litellm(path, rows, lines, spellings, rng):
    requests = 0
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(LITELLM)
        for i in range(rows):
            r = draw(rng, lines, spellings, "litellm")
            usage = {}
            if r["cache_read"] or rng.random() < 0.5:
                if rng.random() < 0.7:
                    usage["prompt_tokens_details"] = {"cached_tokens": r["cache_read"]}
                else:  # Anthropic through LiteLLM: the read count beside the prompt details
                    usage["cache_read_input_tokens"] = r["cache_read"]
            if r["cache_write"] or rng.random() < 0.3:
                usage["cache_creation_input_tokens"] = r["cache_write"]
            if r["reasoning"] or rng.random() < 0.5:
                usage["completion_tokens_details"] = {"reasoning_tokens": r["reasoning"]}
            metadata = {"user_api_key": "k", "usage_object": usage} if usage or rng.random() < 0.5 else {}
            hit = rng.random() < 0.05
            requests += not hit
            model, group = (r["model"], "") if rng.random() < 0.9 else ("", r["model"])
            w.writerow([i, "acompletion", r["ts"].strftime("%Y-%m-%d %H:%M:%S.%f")[:-3], model, group,
                        r["input"], r["output"] + r["reasoning"], json.dumps(metadata),
                        "True" if hit else rng.choice(["False", ""]), "openai", "0.0"])
    return path, path, requests


def attr(key, value):
    if isinstance(value, int):
        return {"key": key, "value": {"intValue": str(value) if value % 2 else value}}
    return {"key": key, "value": {"stringValue": value}}


def generate_otel(path, rows, lines, spellings, rng):
    """OTLP JSON lines (50 spans a line) for the CLI, and the same spans flat for the SQL."""
    flat_path = path + ".flat.csv"
    requests = 0
    with open(path, "w") as f, open(flat_path, "w", newline="") as g:
        w = csv.writer(g)
        w.writerow(OTEL)
        spans = []
        for i in range(rows):
            r = draw(rng, lines, spellings, "otel")
            old = rng.random() < 0.2  # instrumentations pinned to v1.36 or before
            a = {"row_id": i}
            a["gen_ai.operation.name"] = rng.choice(["chat", "text_completion", ""])
            if rng.random() < 0.03:
                a["gen_ai.operation.name"] = "invoke_agent"  # sums its model calls: no request
            else:
                requests += 1
            if rng.random() < 0.7:
                a["gen_ai.response.model"] = r["model"]
            if rng.random() < 0.5 or "gen_ai.response.model" not in a:
                a["gen_ai.request.model"] = r["model"] if "gen_ai.response.model" not in a else "requested"
            a["gen_ai.usage.prompt_tokens" if old else "gen_ai.usage.input_tokens"] = r["input"]
            a["gen_ai.usage.completion_tokens" if old else "gen_ai.usage.output_tokens"] = \
                r["output"] + r["reasoning"]
            if r["cache_read"] or rng.random() < 0.3:
                a["gen_ai.usage.cache_read.input_tokens"] = r["cache_read"]
            if r["cache_write"]:
                a["gen_ai.usage.cache_write.input_tokens" if rng.random() < 0.3
                  else "gen_ai.usage.cache_creation.input_tokens"] = r["cache_write"]
            if r["reasoning"]:
                a["gen_ai.usage.reasoning.output_tokens"] = r["reasoning"]
            tier = rng.choice(TIERS_SPELLED[r["tier"]])
            if tier or rng.random() < 0.5:
                a["openai.response.service_tier" if rng.random() < 0.8 else "openai.request.service_tier"] = tier
            a["gen_ai.system" if old else "gen_ai.provider.name"] = "openai"
            epoch = r["ts"].replace(tzinfo=dt.timezone.utc).timestamp()
            start = int(round(epoch * 1000)) * 1_000_000 + rng.randrange(1_000_000)
            spans.append({"name": "chat", "startTimeUnixNano": str(start),
                          "endTimeUnixNano": str(start + 1_000_000_000),
                          "attributes": [attr(k, v) for k, v in a.items()]})
            w.writerow([start if k == "startTimeUnixNano" else a.get(k, "") for k in OTEL])
            if len(spans) == 50 or i == rows - 1:
                export = {"resourceSpans": [{"resource": {"attributes": [attr("service.name", "chat")]},
                                             "scopeSpans": [{"spans": spans}]}]}
                f.write(json.dumps(export) + "\n")
                spans = []
    return path, flat_path, requests


def replay(cost, data, workdir, row_key="row_id"):
    t = time.time()
    per_row = os.path.join(workdir, "replay_rows.csv")
    run([cost, "replay", data, "--by", row_key, "--format", "csv", "-o", per_row, "--strict"])
    t_rows = time.time() - t
    t = time.time()
    daily = os.path.join(workdir, "replay_daily.csv")
    run([cost, "replay", data, "--by", "model,day", "--format", "csv", "-o", daily, "--strict"])
    return per_row, daily, t_rows, time.time() - t


USAGE_DUCKDB = """CREATE OR REPLACE TABLE usage AS SELECT * FROM read_csv('{data}', header = true,
  columns = {{'row_id': 'BIGINT', 'timestamp': 'VARCHAR', 'model': 'VARCHAR', 'input_tokens': 'BIGINT',
  'cache_read_tokens': 'BIGINT', 'cache_write_tokens': 'BIGINT', 'cache_write_1h_tokens': 'BIGINT',
  'output_tokens': 'BIGINT', 'reasoning_tokens': 'BIGINT', 'service_tier': 'VARCHAR',
  'fast': 'VARCHAR', 'regional': 'VARCHAR'}})"""

# LiteLLM's Postgres table as Prisma makes it: startTime a zoneless timestamp(3), in UTC.
USAGE_LITELLM = """CREATE OR REPLACE TABLE usage AS SELECT * FROM read_csv('{data}', header = true,
  columns = {{'request_id': 'VARCHAR', 'call_type': 'VARCHAR', 'startTime': 'TIMESTAMP', 'model': 'VARCHAR',
  'model_group': 'VARCHAR', 'prompt_tokens': 'INTEGER', 'completion_tokens': 'INTEGER', 'metadata': 'JSON',
  'cache_hit': 'VARCHAR', 'custom_llm_provider': 'VARCHAR', 'spend': 'DOUBLE'}})"""


def usage_otel(data):
    cols = ", ".join(f"'{c}': '{'BIGINT' if c in OTEL_INTS else 'VARCHAR'}'" for c in OTEL)
    return f"CREATE OR REPLACE TABLE usage AS SELECT * FROM read_csv('{data}', header = true, columns = {{{cols}}})"


def row_id(shape):
    return "CAST(request_id AS BIGINT) AS row_id" if shape == "litellm" else "row_id"


def statements(sql):
    return [s for s in (p.strip() for p in sql.split(";\n")) if s and not all(
        l.startswith("--") for l in s.splitlines())]


def compare(con, per_row, daily, rows_table, engine, key="row_id"):
    """Compares in DuckDB: the engine's rows (`rows_table`) against replay's."""
    con.execute(f"""CREATE OR REPLACE TABLE replay_rows AS SELECT CAST({key} AS BIGINT) AS row_id,
        CAST(cost_usd AS DECIMAL(38,12)) AS cost_usd FROM read_csv('{per_row}', header = true, all_varchar = true)
        WHERE {key} IS NOT NULL AND {key} <> ''""")
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
    ap.add_argument("--shape", default="generic", choices=["generic", "litellm", "otel"])
    args = ap.parse_args()
    engines = args.engines.split(",")
    os.makedirs(args.workdir, exist_ok=True)
    report = {"rows": args.rows, "shape": args.shape}
    t = time.time()
    lines, spellings = book_lines(args.cost, args.workdir)
    data = os.path.join(args.workdir, "usage.jsonl" if args.shape == "otel" else "usage.csv")
    data, table, requests = generate(data, args.rows, lines, spellings, args.seed, args.shape)
    report["requests"] = requests
    report["price_lines_sampled"] = len(lines)
    report["generate_s"] = round(time.time() - t, 2)
    per_row, daily, t_rows, t_daily = replay(
        args.cost, data, args.workdir, "request_id" if args.shape == "litellm" else "row_id")
    report["replay_per_row_s"] = round(t_rows, 2)
    report["replay_model_day_s"] = round(t_daily, 2)
    import duckdb
    con = duckdb.connect()
    failed = False
    for engine in engines:
        sql = run([args.cost, "export", "sql", "--dialect", engine, "--log-shape", args.shape])
        t = time.time()
        if engine == "duckdb":
            load = {"generic": USAGE_DUCKDB.format(data=table), "litellm": USAGE_LITELLM.format(data=table),
                    "otel": usage_otel(table)}[args.shape]
            con.execute(load)
            for s in statements(sql):
                con.execute(s)
            con.execute(f"CREATE OR REPLACE TABLE duckdb_rows AS SELECT {row_id(args.shape)}, cost_status, cost_usd FROM cost_priced")
            con.execute("CREATE OR REPLACE TABLE duckdb_daily AS SELECT * FROM cost_daily")
        else:
            rows_pq, daily_pq = spark_price(sql, table, args.workdir, args.shape)
            con.execute(f"CREATE OR REPLACE TABLE spark_rows AS SELECT * FROM read_parquet('{rows_pq}/*.parquet')")
            con.execute(f"CREATE OR REPLACE TABLE spark_daily AS SELECT * FROM read_parquet('{daily_pq}/*.parquet')")
        report[f"{engine}_price_s"] = round(time.time() - t, 2)
        report |= compare(con, per_row, daily, f"{engine}_rows", engine,
                          "request_id" if args.shape == "litellm" else "row_id")
        report |= compare_daily(con, daily, f"{engine}_daily", engine)
        failed |= any(report[k] != 0 for k in (f"{engine}_row_differences",
                                                f"{engine}_model_day_differences",
                                                f"{engine}_unpriced_rows"))
        failed |= report[f"{engine}_rows"] != requests or report["replay_rows"] != requests
    print(json.dumps(report, indent=1))
    sys.exit(1 if failed else 0)


def spark_price(sql, data, workdir, shape="generic"):
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession
    from pyspark.sql.types import LongType, StringType, StructField, StructType
    spark = (SparkSession.builder.master("local[2]").appName("cost-conformance")
             .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
             .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    if shape == "otel":
        schema = StructType([StructField(c, LongType() if c in OTEL_INTS else StringType()) for c in OTEL])
    elif shape == "litellm":
        ints = ("prompt_tokens", "completion_tokens")
        schema = StructType([StructField(c, LongType() if c in ints else StringType()) for c in LITELLM])
    else:
        schema = StructType([StructField(c, LongType() if c.endswith("_tokens") or c == "row_id"
                                         else StringType()) for c in COLUMNS])
    # quote="\"" with escape="\"" reads the JSON cells Python's csv module writes.
    spark.read.csv(data, header=True, schema=schema, quote='"', escape='"').createOrReplaceTempView("usage")
    for s in statements(sql):
        spark.sql(s)
    rows_pq = os.path.join(workdir, "spark_rows")
    daily_pq = os.path.join(workdir, "spark_daily")
    spark.sql(f"SELECT {row_id(shape)}, cost_status, cost_usd FROM cost_priced").write.mode("overwrite").parquet(rows_pq)
    spark.sql("SELECT * FROM cost_daily").write.mode("overwrite").parquet(daily_pq)
    spark.stop()
    return rows_pq, daily_pq


if __name__ == "__main__":
    main()
