#!/usr/bin/env bash
# The gateway overhead benchmark (BENCHMARKS.md "## Gateway"): a mock
# OpenAI upstream, the same load direct and through `cost gateway`, on one
# machine. Prints one JSON line per run, and the gateway's resident memory
# (now and peak) before the load and after each of its runs (the bare
# proxy's before the load and after the streams), and its
# ledger's writes and transactions so far after each run (from /metrics;
# writes per transaction is the group commit's batch size).
#   bash benches/gateway/run.sh [SECONDS]        (default 10 s per run)
#   GW_THREADS=1 bash benches/gateway/run.sh 8   (the gateway with --threads 1)
# It also runs the same load through examples/bare_proxy (the same HTTP
# stack doing nothing else: the floor any proxy on it pays).
# Needs: cargo build --release --bin cost --example mock_upstream --example loadgen --example bare_proxy, and curl
set -euo pipefail
secs=${1:-10}
bin=${CARGO_TARGET_DIR:-target}/release
dir=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$dir"; }
trap cleanup EXIT

# shellcheck source=benches/gateway/port_of.sh
source "$(dirname "$0")/port_of.sh"

"$bin/examples/mock_upstream" --listen 127.0.0.1:0 --threads 1 --stream-events 16 --stream-gap-ms 10 >"$dir/mock.out" &
pids+=($!)
mock=$(port_of "$dir/mock.out")

export COST_BENCH_GATEWAY_KEY=sk-bench
"$bin/cost" gateway benches/gateway/scenario.toml --plan router --listen 127.0.0.1:0 \
  --upstream "openai=http://$mock" --log "$dir/requests.jsonl" --ledger "$dir/ledger.sqlite" \
  ${GW_THREADS:+--threads "$GW_THREADS"} 2>"$dir/gw.err" &
gw_pid=$!
pids+=($gw_pid)
gw=$(port_of "$dir/gw.err" | sed 's/[^0-9.:].*//')
"$bin/examples/bare_proxy" --upstream "http://$mock" ${GW_THREADS:+--threads "$GW_THREADS"} >"$dir/bare.out" &
bare_pid=$!
pids+=($bare_pid)
bare=$(port_of "$dir/bare.out")

body='{"model":"auto","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Say hello in one short sentence."}],"max_tokens":64}'
sbody='{"model":"auto","stream":true,"messages":[{"role":"user","content":"Say hello in one short sentence."}],"max_tokens":64}'
auth='authorization: Bearer sk-bench'
lg() { "$bin/examples/loadgen" --seconds "$secs" --warmup 2 --threads 1 "$@"; }
# A process's resident memory now and at its peak so far, as a JSON line
# (LABEL [PID]; the gateway's by default).
mem() {
  local rss hwm pid=${2:-$gw_pid}
  rss=$(awk '/VmRSS/{print $2}' "/proc/$pid/status")
  hwm=$(awk '/VmHWM/{print $2}' "/proc/$pid/status")
  echo "{\"label\":\"${3:-gateway}_memory_$1\",\"rss_kib\":$rss,\"peak_rss_kib\":$hwm}"
}

# The ledger's writes and transactions so far, as a JSON line.
ledger() {
  local m
  m=$(curl -s "http://$gw/metrics")
  echo "{\"label\":\"gateway_ledger_$1\",\"writes\":$(awk '/^cost_gateway_ledger_writes_total /{print $2}' <<<"$m"),\"transactions\":$(awk '/^cost_gateway_ledger_transactions_total /{print $2}' <<<"$m")}"
}

mem idle
mem idle "$bare_pid" bare
lg --label direct_c1 --connections 1 --url "http://$mock/v1/chat/completions" --body "$body" --header "$auth"
lg --label bare_c1 --connections 1 --url "http://$bare/v1/chat/completions" --body "$body" --header "$auth"
lg --label gateway_c1 --connections 1 --url "http://$gw/v1/chat/completions" --body "$body" --header "$auth"
mem after_c1
ledger after_c1
lg --label direct_c32 --connections 32 --url "http://$mock/v1/chat/completions" --body "$body" --header "$auth"
lg --label bare_c32 --connections 32 --url "http://$bare/v1/chat/completions" --body "$body" --header "$auth"
lg --label gateway_c32 --connections 32 --url "http://$gw/v1/chat/completions" --body "$body" --header "$auth"
mem after_c32
ledger after_c32
lg --label direct_sse256 --connections 256 --url "http://$mock/v1/chat/completions" --body "$sbody" --header "$auth"
lg --label bare_sse256 --connections 256 --url "http://$bare/v1/chat/completions" --body "$sbody" --header "$auth"
lg --label gateway_sse256 --connections 256 --url "http://$gw/v1/chat/completions" --body "$sbody" --header "$auth"
mem after_sse256
mem after_sse256 "$bare_pid" bare
ledger after_sse256
echo "{\"label\":\"gateway_log_lines\",\"lines\":$(wc -l <"$dir/requests.jsonl")}"
