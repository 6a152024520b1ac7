#!/usr/bin/env bash
# Instructions per request (BENCHMARKS.md "The write-ahead log now rewinds"):
# the gateway (PROXY=gateway) or examples/hyper_proxy --pooled (PROXY=pooled)
# under callgrind; counters zeroed after 3 s of warm-up, then CONNS (default 1)
# connections for SECS (default 5) seconds, then a dump. Prints one line; the
# dump is kept in /tmp/cg-$PROXY.out for callgrind_annotate.
#   PROXY=gateway bash benches/gateway/callgrind.sh
# Needs valgrind and: cargo build --release --bin cost --example mock_upstream --example loadgen --example hyper_proxy
set -euo pipefail

bin=${CARGO_TARGET_DIR:-target}/release
dir=$(mktemp -d); pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$dir"; }
trap cleanup EXIT
source "$(dirname "$0")/port_of.sh"
"$bin/examples/mock_upstream" --listen 127.0.0.1:0 --threads 1 >"$dir/mock.out" & pids+=($!)
mock=$(port_of "$dir/mock.out")
export COST_BENCH_GATEWAY_KEY=sk-bench
VG="valgrind --tool=callgrind --callgrind-out-file=$dir/cg.out --dump-instr=no ${VGX:-}"
if [[ ${PROXY:?PROXY=gateway or pooled} == pooled ]]; then
  $VG "$bin/examples/hyper_proxy" --pooled --upstream "$mock" --listen 127.0.0.1:0 >"$dir/proxy.out" 2>"$dir/vg.err" & pid=$!
  addr=$(port_of "$dir/proxy.out")
else
  $VG "$bin/cost" gateway benches/gateway/scenario.toml --plan router --listen 127.0.0.1:0 \
    --upstream "openai=http://$mock" --log "$dir/requests.jsonl" --ledger "${LEDGER:-$dir/ledger.sqlite}" --threads 1 "$@" 2>"$dir/proxy.out" & pid=$!
  addr=$(port_of "$dir/proxy.out" | sed 's/[^0-9.:].*//')
fi
pids+=($pid)
body='{"model":"auto","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Say hello in one short sentence."}],"max_tokens":64}'
lg() { "$bin/examples/loadgen" --threads 1 --warmup 0 --url "http://$addr/v1/chat/completions" --body "$body" --header 'authorization: Bearer sk-bench' "$@"; }
lg --connections 1 --seconds 3 >/dev/null
callgrind_control -z $pid >/dev/null
lg --connections ${CONNS:-1} --seconds ${SECS:-5} >"$dir/lg.out"
callgrind_control -d $pid >/dev/null
sleep 1
n=$(grep -o '"requests":[0-9]*' "$dir/lg.out" | cut -d: -f2)
f=$dir/cg.out.1
total=$(grep "^totals:" "$f" | awk "{print \$2}")
echo "proxy=$PROXY requests=$n Ir=$total per_request=$((total / n))"
cp "$f" "/tmp/cg-$PROXY.out"
