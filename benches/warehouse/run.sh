#!/usr/bin/env bash
# The warehouse-scale benchmark of BENCHMARKS.md ("Warehouse scale"):
# N x 1M rows (default 100: 100M) priced per model and day by the generated
# DuckDB SQL (Parquet) and by `cost replay` (the same rows as CSV on a pipe),
# each timed as a whole process. Needs a release build and a python with
# duckdb (COST_PYTHON, else .venv/bin/python). Data lives under WORKDIR
# (default /tmp/cost-warehouse-bench, about 1 GB of Parquet at 100M rows)
# and is deleted at the end.
#
# usage: bash benches/warehouse/run.sh [TIMES] [WORKDIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
times="${1:-100}"
work="${2:-/tmp/cost-warehouse-bench}"
py="${COST_PYTHON:-.venv/bin/python}"
cost="${CARGO_TARGET_DIR:-target}/release/cost"
bench=benches/warehouse/bench.py
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

"$py" tests/warehouse/conformance.py --cost "$cost" --rows 1000000 --workdir "$work/base" \
  --engines duckdb > "$work/conformance.json"
base="$work/base/usage.csv"
"$py" "$bench" make --base "$base" --times "$times" --parquet "$work/usage.parquet"
echo "{\"csv_bytes_per_copy\": $(stat -c %s "$base"), \"parquet_bytes\": $(stat -c %s "$work/usage.parquet")}"

echo "== DuckDB, generated SQL over Parquet (whole process)"
/usr/bin/time -f "duckdb: wall=%e s user=%U s sys=%S s maxrss=%M KB" \
  "$py" "$bench" duckdb --cost "$cost" --parquet "$work/usage.parquet" --threads 2

echo "== the CSV stream alone (what the pipe costs)"
/usr/bin/time -f "stream: wall=%e s user=%U s sys=%S s" \
  "$py" "$bench" csv --base "$base" --times "$times" | wc -c

echo "== cost replay, the same rows as CSV on stdin (whole process)"
"$py" "$bench" csv --base "$base" --times "$times" \
  | /usr/bin/time -f "replay: wall=%e s user=%U s sys=%S s maxrss=%M KB" \
    "$cost" replay - --by model,day --format csv -q > "$work/replay_daily.csv"
# The replay's model x day rows end at the first empty line (the summary follows).
"$py" -c "
import csv, decimal, sys
rows = csv.reader(open(sys.argv[1]))
head = next(rows)
days = [r for r in iter(lambda: next(rows, []), [])]
print('replay model_days:', len(days))
print('replay total_usd:', sum(decimal.Decimal(r[head.index('cost_usd')] or 0) for r in days))
" "$work/replay_daily.csv"
