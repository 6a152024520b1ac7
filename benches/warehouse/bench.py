"""The warehouse-scale benchmark (BENCHMARKS.md, "Warehouse scale"): the
conformance suite's 1M-row generic log (`tests/warehouse/conformance.py`)
repeated N times, priced per model and day by the generated DuckDB SQL over
a Parquet file and by `cost replay` reading the same rows as CSV on stdin.

  make:   write the N x 1M-row Parquet file (row_id shifted per copy).
  duckdb: price it with `cost export sql --dialect duckdb`, `cost_daily`,
          once, in this process; prints the totals and the query's time.
  csv:    write the N copies of the CSV to stdout (the header once), for
          `cost replay -` to read from a pipe instead of a 7.7 GB file.

usage: bench.py make --base usage.csv --times N --parquet FILE
       bench.py duckdb --cost PATH --parquet FILE [--threads 2]
       bench.py csv --base usage.csv --times N
"""

import argparse
import json
import shutil
import subprocess
import sys
import time

COLS = """{'row_id': 'BIGINT', 'timestamp': 'VARCHAR', 'model': 'VARCHAR', 'input_tokens': 'BIGINT',
  'cache_read_tokens': 'BIGINT', 'cache_write_tokens': 'BIGINT', 'cache_write_1h_tokens': 'BIGINT',
  'output_tokens': 'BIGINT', 'reasoning_tokens': 'BIGINT', 'service_tier': 'VARCHAR',
  'fast': 'VARCHAR', 'regional': 'VARCHAR'}"""


def make(a):
    import duckdb
    con = duckdb.connect()
    con.execute(f"CREATE TABLE base AS SELECT * FROM read_csv('{a.base}', header = true, columns = {COLS})")
    rows = "SELECT * REPLACE (row_id + r.range * 1000000 AS row_id) FROM base, range({}) r"
    con.execute(f"COPY ({rows.format(a.times)}) TO '{a.parquet}' (FORMAT parquet)")


def price(a):
    import duckdb
    con = duckdb.connect()
    con.execute(f"SET threads = {a.threads}")
    sql = subprocess.run([a.cost, "export", "sql", "--dialect", "duckdb"], capture_output=True, text=True,
                         check=True).stdout
    con.execute(f"CREATE VIEW usage AS SELECT * FROM read_parquet('{a.parquet}')")
    for s in (p.strip() for p in sql.split(";\n")):
        if s and not all(l.startswith("--") for l in s.splitlines()):
            con.execute(s)
    t = time.time()
    n = con.execute("SELECT count(*), sum(requests), sum(cost_usd) FROM cost_daily").fetchone()
    query_s = time.time() - t
    print(json.dumps({"model_days": n[0], "requests": n[1], "total_usd": str(n[2]),
                      "query_s": round(query_s, 2), "rows_per_s": round(n[1] / query_s)}, indent=1))


def stream(a):
    out = sys.stdout.buffer
    for i in range(a.times):
        with open(a.base, "rb") as f:
            if i:
                f.readline()  # the header once
            shutil.copyfileobj(f, out, 1 << 20)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("step", choices=["make", "duckdb", "csv"])
    ap.add_argument("--base")
    ap.add_argument("--times", type=int, default=100)
    ap.add_argument("--parquet")
    ap.add_argument("--cost")
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    {"make": make, "duckdb": price, "csv": stream}[a.step](a)


if __name__ == "__main__":
    main()
