#!/usr/bin/env bash
# The ledger's write-ahead log under load (BENCHMARKS.md "The write-ahead log
# now rewinds"): the gateway with --threads 1 against the mock upstream,
# ROUNDS (default 4) back-to-back loads of CONNS (default 1) connections for
# SECS (default 4) seconds each; after each, the requests served so far and
# the size of ledger.sqlite-wal. One JSON line per round. A log that rewinds
# stays about the same size; one that does not grows with the requests.
#   bash benches/gateway/wal_size.sh
# Needs: cargo build --release --bin cost --example mock_upstream --example loadgen
set -euo pipefail
bin=${CARGO_TARGET_DIR:-target}/release
dir=$(mktemp -d); pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$dir"; }
trap cleanup EXIT
# shellcheck source=benches/gateway/port_of.sh
source "$(dirname "$0")/port_of.sh"
"$bin/examples/mock_upstream" --listen 127.0.0.1:0 --threads 1 >"$dir/mock.out" & pids+=($!)
mock=$(port_of "$dir/mock.out")
export COST_BENCH_GATEWAY_KEY=sk-bench
"$bin/cost" gateway benches/gateway/scenario.toml --plan router --listen 127.0.0.1:0 \
  --upstream "openai=http://$mock" --log "$dir/requests.jsonl" --ledger "$dir/ledger.sqlite" \
  --threads 1 2>"$dir/gw.err" & pids+=($!)
addr=$(port_of "$dir/gw.err" | sed 's/[^0-9.:].*//')
body='{"model":"auto","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Say hello in one short sentence."}],"max_tokens":64}'
total=0
for round in $(seq "${ROUNDS:-4}"); do
  "$bin/examples/loadgen" --threads 1 --warmup 0 --url "http://$addr/v1/chat/completions" --body "$body" \
    --header 'authorization: Bearer sk-bench' --connections "${CONNS:-1}" --seconds "${SECS:-4}" >"$dir/lg.out"
  n=$(grep -o '"requests":[0-9]*' "$dir/lg.out" | cut -d: -f2)
  total=$((total + n))
  echo "{\"round\":$round,\"requests_so_far\":$total,\"wal_bytes\":$(stat -c %s "$dir/ledger.sqlite-wal")}"
done
