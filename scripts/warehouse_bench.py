"""Times the generated DuckDB SQL pricing a large usage table, for
BENCHMARKS.md ("Warehouse scale"). Makes N x 1M rows by repeating the
conformance suite's 1M-row log (`tests/warehouse/conformance.py`), writes it
as CSV (for `cost replay`) and Parquet (for DuckDB), then prices it with
`cost export sql --dialect duckdb` per model and day.

usage: warehouse_bench.py --cost PATH --base usage.csv --times N --workdir DIR [--threads 2]
"""

import argparse
import json
import os
import subprocess
import time

import duckdb

COLS = """{'row_id': 'BIGINT', 'timestamp': 'VARCHAR', 'model': 'VARCHAR', 'input_tokens': 'BIGINT',
  'cache_read_tokens': 'BIGINT', 'cache_write_tokens': 'BIGINT', 'cache_write_1h_tokens': 'BIGINT',
  'output_tokens': 'BIGINT', 'reasoning_tokens': 'BIGINT', 'service_tier': 'VARCHAR'}"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cost", required=True)
    ap.add_argument("--base", required=True)
    ap.add_argument("--times", type=int, default=10)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--make", action="store_true", help="write the CSV and Parquet files first")
    a = ap.parse_args()
    csv_path = os.path.join(a.workdir, f"usage_{a.times}m.csv")
    pq_path = os.path.join(a.workdir, f"usage_{a.times}m.parquet")
    con = duckdb.connect()
    con.execute(f"SET threads = {a.threads}")
    if a.make:
        con.execute(f"CREATE TABLE base AS SELECT * FROM read_csv('{a.base}', header = true, columns = {COLS})")
        rep = f"SELECT row_id + r.range * 1000000 AS row_id, timestamp, model, input_tokens, cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, output_tokens, reasoning_tokens, service_tier FROM base, range({a.times}) r"
        con.execute(f"COPY ({rep}) TO '{csv_path}' (HEADER)")
        con.execute(f"COPY ({rep}) TO '{pq_path}' (FORMAT parquet)")
    sql = subprocess.run([a.cost, "export", "sql", "--dialect", "duckdb"], capture_output=True, text=True, check=True).stdout
    con.execute(f"CREATE VIEW usage AS SELECT * FROM read_parquet('{pq_path}')")
    for s in (p.strip() for p in sql.split(";\n")):
        if s and not all(l.startswith("--") for l in s.splitlines()):
            con.execute(s)
    runs = []
    for _ in range(3):
        t = time.time()
        n = con.execute("SELECT count(*), sum(requests), sum(cost_usd) FROM (SELECT * FROM cost_daily)").fetchone()
        runs.append(time.time() - t)
    rows = a.times * 1_000_000
    print(json.dumps({"rows": rows, "model_days": n[0], "requests": n[1], "total_usd": str(n[2]),
                      "duckdb_s": [round(r, 2) for r in runs], "duckdb_rows_per_s": round(rows / min(runs)),
                      "csv_bytes": os.path.getsize(csv_path), "parquet_bytes": os.path.getsize(pq_path)}, indent=1))


if __name__ == "__main__":
    main()
