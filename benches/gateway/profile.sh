#!/usr/bin/env bash
# Where the gateway spends its CPU (BENCHMARKS.md "## Gateway"): the mock, the
# gateway and 8 connections of load for 10 s, perf sampling the gateway for 6 s.
#   [PERF_FREQ=499] [CONNS=8] bash benches/gateway/profile.sh && perf report -i /tmp/gwops-perf.data --no-children --sort dso,symbol
set -e
bin=${CARGO_TARGET_DIR:-target}/release
dir=$(mktemp -d)
$bin/examples/mock_upstream --listen 127.0.0.1:0 > $dir/mock.out &
MP=$!
sleep 0.5
mock=$(grep -o 'listening on [^ ]*' $dir/mock.out | sed 's/listening on //')
export COST_BENCH_GATEWAY_KEY=sk-bench
$bin/cost gateway benches/gateway/scenario.toml --plan router --listen 127.0.0.1:0 --upstream openai=http://$mock --log $dir/r.jsonl --ledger $dir/l.sqlite ${GW_THREADS:+--threads "$GW_THREADS"} 2> $dir/gw.err &
GP=$!
sleep 1
gw=$(grep -o 'listening on http://[^ ]*' $dir/gw.err | sed 's/listening on http:\/\///')
body='{"model":"auto","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Say hello in one short sentence."}],"max_tokens":64}'
$bin/examples/loadgen --connections ${CONNS:-8} --seconds 10 --warmup 1 --url http://$gw/v1/chat/completions --body "$body" --header 'authorization: Bearer sk-bench' > $dir/lg.out &
LP=$!
sleep 2
perf record -F ${PERF_FREQ:-499} ${PERF_CALLGRAPH:--g} -p $GP -o ${PERF_OUT:-/tmp/gwops-perf.data} -- sleep 6 2>/dev/null >/dev/null || true
wait $LP
cat $dir/lg.out
kill $GP $MP
