#!/usr/bin/env bash
# CPU time per request (BENCHMARKS.md "## Gateway"): the gateway (or, with
# PROXY=bare, examples/bare_proxy) under CONNS connections for SECS seconds
# against the mock upstream; the process's user + system time from
# /proc/PID/stat divided by the requests served. Prints one line.
#   bash benches/gateway/cpu.sh CONNS SECS [gateway or bare_proxy flags...]
#   bash benches/gateway/cpu.sh 32 5 --threads 1
#   PROXY=bare bash benches/gateway/cpu.sh 32 5 --threads 1
# With SYSCALLS=1 the proxy runs under `strace -c -f` during the load (much
# slower, so its CPU figure means nothing then) and a second line gives its
# system calls per request, by name.
# Needs: cargo build --release --bin cost --example mock_upstream --example loadgen --example bare_proxy
set -euo pipefail
conns=${1:?CONNS}; secs=${2:?SECS}; shift 2
bin=${CARGO_TARGET_DIR:-target}/release
dir=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$dir"; }
trap cleanup EXIT

# shellcheck source=benches/gateway/port_of.sh
source "$(dirname "$0")/port_of.sh"

"$bin/examples/mock_upstream" --listen 127.0.0.1:0 --threads 1 >"$dir/mock.out" &
pids+=($!)
mock=$(port_of "$dir/mock.out")
export COST_BENCH_GATEWAY_KEY=sk-bench
if [[ ${PROXY:-} == bare ]]; then
  "$bin/examples/bare_proxy" --upstream "http://$mock" "$@" >"$dir/proxy.out" &
  pid=$!
  addr=$(port_of "$dir/proxy.out")
else
  "$bin/cost" gateway benches/gateway/scenario.toml --plan router --listen 127.0.0.1:0 \
    --upstream "openai=http://$mock" --log "$dir/requests.jsonl" --ledger "$dir/ledger.sqlite" \
    "$@" 2>"$dir/proxy.out" &
  pid=$!
  addr=$(port_of "$dir/proxy.out" | sed 's/[^0-9.:].*//')
fi
pids+=($pid)

body='{"model":"auto","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Say hello in one short sentence."}],"max_tokens":64}'
lg() { "$bin/examples/loadgen" --threads 1 --warmup 0 --url "http://$addr/v1/chat/completions" --body "$body" --header 'authorization: Bearer sk-bench' "$@"; }
lg --connections 1 --seconds 1 >/dev/null   # warm: connections, tokenizer, ledger
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
if [[ ${SYSCALLS:-} == 1 ]]; then
  strace -c -f -q -p "$pid" -o "$dir/strace.out" &
  tracer=$!
  sleep 0.5   # attached to every thread before the load starts
fi
t0=$(ticks)
lg --connections "$conns" --seconds "$secs" >"$dir/lg.out"
t1=$(ticks)
if [[ ${SYSCALLS:-} == 1 ]]; then
  kill -INT "$tracer"
  wait "$tracer" || true
fi
n=$(grep -o '"requests":[0-9]*' "$dir/lg.out" | cut -d: -f2)
hz=$(getconf CLK_TCK)
echo "{\"label\":\"cpu_${PROXY:-gateway}_c$conns\",\"requests\":$n,\"cpu_us_per_request\":$(( (t1 - t0) * 1000000 / hz / n )),\"load\":$(cat "$dir/lg.out")}"
if [[ ${SYSCALLS:-} == 1 ]]; then
  # strace -c's table: calls in column 4, the name last; skip the headers
  # and the total.
  awk -v n="$n" -v label="syscalls_${PROXY:-gateway}_c$conns" '
    $1 ~ /^[0-9.]+$/ && $NF != "total" { calls[$NF] = $4; all += $4 }
    END {
      printf "{\"label\":\"%s\",\"per_request\":%.1f", label, all / n
      for (c in calls) if (calls[c] / n >= 0.05) printf ",\"%s\":%.2f", c, calls[c] / n
      print "}"
    }' "$dir/strace.out"
fi
