"""Bad input gets the same classes of error from the generated SQL on
DuckDB and Spark as from `cost replay`, for every shape the conformance
suite runs (generic, litellm, otel), and nothing is priced at $0:

- what `cost replay --strict` refuses (a model missing from the price book,
  a cache larger than the prompt, an unknown tier, a fast/regional cell that
  is not yes or no, a LiteLLM `metadata` that is not JSON, more reasoning
  than output) is a row flagged with a NULL cost;
- what the CLI counts as not priced (a day before any price, fast mode on a
  model that has none) is flagged with a NULL cost too;
- a timestamp without a zone is read as UTC by both (text, or a zoneless
  timestamp type in the SQL), at the same cost;
- a column of the wrong type (a token count as text, a time as a number)
  stops the query with an error naming the column, as the CLI stops on it.

usage: bad_input.py --cost PATH --workdir DIR [--engines duckdb,spark]
Prints a JSON report; exits 1 when an expectation fails.
"""

import argparse
import json
import os
import subprocess
import sys

GENERIC = ["row_id", "timestamp", "model", "input_tokens", "cache_read_tokens", "cache_write_tokens",
           "cache_write_1h_tokens", "output_tokens", "reasoning_tokens", "service_tier", "fast", "regional"]
G_TYPES = {c: ("BIGINT" if c.endswith("_tokens") or c == "row_id" else "TEXT") for c in GENERIC}
LITELLM = ["request_id", "startTime", "model", "model_group", "prompt_tokens", "completion_tokens",
           "metadata", "cache_hit", "custom_llm_provider", "spend"]
L_TYPES = {c: ("BIGINT" if c in ("request_id", "prompt_tokens", "completion_tokens") else "TEXT")
           for c in LITELLM}
OTEL = ["row_id", "startTimeUnixNano", "gen_ai.operation.name", "gen_ai.response.model",
        "gen_ai.request.model", "gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens",
        "gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens",
        "gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_creation.input_tokens",
        "gen_ai.usage.cache_write.input_tokens", "gen_ai.usage.reasoning.output_tokens",
        "openai.response.service_tier", "openai.request.service_tier", "gen_ai.provider.name",
        "gen_ai.system"]
O_TYPES = {c: ("BIGINT" if c in ("row_id", "startTimeUnixNano") or c.startswith("gen_ai.usage.") else "TEXT")
           for c in OTEL}

# (name, row, the SQL status, what the CLI does: ok | not_priced | refused)
GENERIC_ROWS = [
    ("ok", "1,2026-11-28T10:00:00Z,gpt-4o,1000,0,0,0,10,0,standard,false,false", "ok", "ok"),
    ("unknown_model", "2,2026-11-28T10:00:00Z,no-such-model-xyz,1000,0,0,0,10,0,standard,,", "unknown_model", "refused"),
    ("timestamp_without_zone", "3,2026-11-28T10:00:00,gpt-4o,1000,0,0,0,10,0,standard,0,0", "ok", "ok"),
    ("cache_exceeds_input", "4,2026-11-28T10:00:00Z,gpt-4o,100,200,0,0,10,0,standard,,", "cache_exceeds_input", "refused"),
    ("unknown_tier", "5,2026-11-28T10:00:00Z,gpt-4o,100,0,0,0,10,0,turbo,,", "unknown_tier", "refused"),
    ("no_price_on_date", "6,1999-01-01T00:00:00Z,claude-sonnet-5,100,0,0,0,10,0,standard,,", "no_price_on_date", "not_priced"),
    ("fast_not_offered", "7,2026-11-28T10:00:00Z,gpt-4o,100,0,0,0,10,0,standard,true,false", "fast_not_offered", "not_priced"),
    ("bad_option", "8,2026-11-28T10:00:00Z,claude-opus-5,100,0,0,0,10,0,standard,maybe,false", "bad_option", "refused"),
]
LITELLM_ROWS = [
    ("ok", '1,2026-11-28 10:00:00.000,gpt-4o,,1000,10,"{""usage_object"": {""prompt_tokens_details"": {""cached_tokens"": 400}}}",False,openai,0', "ok", "ok"),
    ("unknown_model", "2,2026-11-28 10:00:00.000,no-such-model-xyz,,1000,10,{},False,openai,0", "unknown_model", "refused"),
    ("metadata_not_json", "3,2026-11-28 10:00:00.000,gpt-4o,,1000,10,{not json,False,openai,0", "bad_tokens", "refused"),
]


def otel_line(row_id, model, inp, out, reasoning):
    attrs = [{"key": "row_id", "value": {"intValue": row_id}},
             {"key": "gen_ai.request.model", "value": {"stringValue": model}},
             {"key": "gen_ai.usage.input_tokens", "value": {"intValue": str(inp)}},
             {"key": "gen_ai.usage.output_tokens", "value": {"intValue": out}},
             {"key": "gen_ai.usage.reasoning.output_tokens", "value": {"intValue": reasoning}}]
    span = {"name": "chat", "startTimeUnixNano": "1795860000000000000", "endTimeUnixNano": "1795860001000000000",
            "attributes": attrs}
    flat = {"row_id": row_id, "startTimeUnixNano": 1795860000000000000, "gen_ai.request.model": model,
            "gen_ai.usage.input_tokens": inp, "gen_ai.usage.output_tokens": out,
            "gen_ai.usage.reasoning.output_tokens": reasoning}
    return json.dumps({"resourceSpans": [{"scopeSpans": [{"spans": [span]}]}]}), flat


OTEL_ROWS = [
    ("ok", otel_line(1, "gpt-4o", 1000, 10, 0), "ok", "ok"),
    ("unknown_model", otel_line(2, "no-such-model-xyz", 1000, 10, 0), "unknown_model", "refused"),
    ("reasoning_exceeds_output", otel_line(3, "gpt-4o", 1000, 10, 20), "bad_tokens", "refused"),
]


def cli(cost, path, *extra):
    out = subprocess.run([cost, "replay", path, "--format", "json", *extra], capture_output=True, text=True)
    return out.returncode, out.stderr, out.stdout


def duckdb_type(t):
    return {"TEXT": "VARCHAR"}.get(t, t)


def spark_type(t):
    return {"TEXT": "STRING", "TIMESTAMP": "TIMESTAMP_NTZ"}.get(t, t)


def sql_rows(engine, sql, path, columns, types, key):
    """(rows as {id: (status, cost)}, error text) of the view on one engine."""
    stmts = [s for s in (p.strip() for p in sql.split(";\n")) if s and not all(
        l.startswith("--") for l in s.splitlines())]
    query = f"SELECT CAST({key} AS BIGINT), cost_status, CAST(cost_usd AS {'VARCHAR' if engine == 'duckdb' else 'STRING'}) FROM cost_priced"
    if engine == "duckdb":
        import duckdb
        con = duckdb.connect()
        cols = {c: duckdb_type(types[c]) for c in columns}
        con.execute(f"CREATE TABLE usage AS SELECT * FROM read_csv('{path}', header = true, columns = {cols!r})")
        try:
            for s in stmts:
                con.execute(s)
            return {r[0]: (r[1], r[2]) for r in con.execute(query).fetchall()}, None
        except Exception as e:  # the engine's own error, as the user sees it
            return None, str(e)
    from pyspark.sql import SparkSession
    spark = SparkSession.builder.getOrCreate()
    schema = ", ".join(f"`{c}` {spark_type(types[c])}" for c in columns)
    spark.read.csv(path, header=True, schema=schema, quote='"', escape='"').createOrReplaceTempView("usage")
    try:
        for s in stmts:
            spark.sql(s)
        return {r[0]: (r[1], r[2]) for r in spark.sql(query).collect()}, None
    except Exception as e:
        return None, str(e).splitlines()[0][:300]


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def check_cli(cost, workdir, shape, name, content, expect, report, failures):
    one = os.path.join(workdir, f"{shape}_{name}.{'jsonl' if shape == 'otel' else 'csv'}")
    write(one, content)
    code, err, stdout = cli(cost, one, "--strict", "--at", "2026-11-28")
    report[f"cli_{shape}_{name}"] = {"exit": code, "stderr": err.strip().splitlines()[:1]}
    if expect == "refused" and code != 2:
        failures.append(f"cli {shape} {name}: exit {code}, expected 2")
    if expect in ("ok", "not_priced") and code != 0:
        failures.append(f"cli {shape} {name}: exit {code}, expected 0")
    if expect == "not_priced" and '"not_priced_requests": 1' not in stdout:
        failures.append(f"cli {shape} {name}: not counted as not priced")
    if expect == "ok":
        return json.loads(stdout)["fields"]["cost_usd"] if '"fields"' in stdout else stdout
    return None


def cli_cost(cost, path):
    out = subprocess.run([cost, "replay", path, "--format", "csv", "--by", "model"], capture_output=True,
                         text=True, check=True).stdout
    line = [l for l in out.splitlines() if l.startswith("gpt-4o,")][0]
    header = out.splitlines()[0].split(",")
    return line.split(",")[header.index("cost_usd")]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cost", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--engines", default="duckdb,spark")
    args = ap.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    if "spark" in args.engines:
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        from pyspark.sql import SparkSession
        (SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false")
         .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
         .config("spark.sql.session.timeZone", "America/New_York")  # the SQL must not depend on it
         .getOrCreate().sparkContext.setLogLevel("ERROR"))
    report, failures = {}, []
    shapes = {
        "generic": (GENERIC, G_TYPES, "row_id", GENERIC_ROWS),
        "litellm": (LITELLM, L_TYPES, "request_id", LITELLM_ROWS),
        "otel": (OTEL, O_TYPES, "row_id", OTEL_ROWS),
    }
    tables, ok_costs = {}, {}
    for shape, (columns, types, key, rows) in shapes.items():
        header = ",".join(columns) + "\n"
        flat = []
        for name, row, _, expect in rows:
            if shape == "otel":
                line, values = row
                content = line + "\n"
                flat.append(",".join(str(values.get(c, "")) for c in columns))
            else:
                content = header + row + "\n"
                flat.append(row)
            check_cli(args.cost, args.workdir, shape, name, content, expect, report, failures)
            if expect == "ok":
                ok_costs[(shape, name)] = cli_cost(args.cost, os.path.join(
                    args.workdir, f"{shape}_{name}.{'jsonl' if shape == 'otel' else 'csv'}"))
        path = os.path.join(args.workdir, f"{shape}_table.csv")
        write(path, header + "\n".join(flat) + "\n")
        tables[shape] = path
    report["cli_costs"] = {f"{s}_{n}": c for (s, n), c in ok_costs.items()}
    for engine in args.engines.split(","):
        for shape, (columns, types, key, rows) in shapes.items():
            sql = subprocess.run([args.cost, "export", "sql", "--dialect", engine, "--log-shape", shape],
                                 capture_output=True, text=True, check=True).stdout
            got, err = sql_rows(engine, sql, tables[shape], columns, types, key)
            if err:
                failures.append(f"{engine} {shape}: {err}")
                continue
            for i, (name, _, status, expect) in enumerate(rows, start=1):
                s, c = got[i]
                report[f"{engine}_{shape}_{name}"] = [s, c]
                if s != status or (c is None) == (status == "ok"):
                    failures.append(f"{engine} {shape} {name}: status {s}, cost {c}, expected {status}")
                if status == "ok" and c is not None and float(c) != float(ok_costs[(shape, name)]):
                    failures.append(f"{engine} {shape} {name}: cost {c}, the CLI says {ok_costs[(shape, name)]}")
        # A zoneless timestamp type (DuckDB TIMESTAMP, Spark TIMESTAMP_NTZ) is read as UTC, at the CLI's cost.
        typed = dict(G_TYPES, timestamp="TIMESTAMP")
        path = os.path.join(args.workdir, "zoneless.csv")
        write(path, ",".join(GENERIC) + "\n" + "1,2026-11-28 10:00:00,gpt-4o,1000,0,0,0,10,0,standard,,\n")
        sql = subprocess.run([args.cost, "export", "sql", "--dialect", engine], capture_output=True, text=True,
                             check=True).stdout
        got, err = sql_rows(engine, sql, path, GENERIC, typed, "row_id")
        report[f"{engine}_zoneless_timestamp_type"] = err or list(got[1])
        if err or got[1][0] != "ok" or float(got[1][1]) != float(ok_costs[("generic", "ok")]):
            failures.append(f"{engine}: a zoneless timestamp column was not read as UTC: {err or got}")
        # Stopping errors: a column of the wrong type, named.
        for shape, column, kind in [("generic", "input_tokens", "TEXT"), ("generic", "timestamp", "BIGINT"),
                                    ("otel", "gen_ai.usage.input_tokens", "TEXT"),
                                    ("litellm", "prompt_tokens", "TEXT")]:
            columns, types, key, _ = shapes[shape]
            if shape == "generic" and column == "timestamp":
                path = os.path.join(args.workdir, "numeric_time.csv")
                write(path, ",".join(GENERIC) + "\n" + "1,1764324000,gpt-4o,1000,0,0,0,10,0,standard,,\n")
            else:
                path = tables[shape]
            sql = subprocess.run([args.cost, "export", "sql", "--dialect", engine, "--log-shape", shape],
                                 capture_output=True, text=True, check=True).stdout
            _, err = sql_rows(engine, sql, path, columns, dict(types, **{column: kind}), key)
            report[f"{engine}_{shape}_{column}_as_{kind}"] = err
            if not err or column not in err:
                failures.append(f"{engine}: a {kind} {column} column did not stop the query: {err}")
    report["failures"] = failures
    print(json.dumps(report, indent=1))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
