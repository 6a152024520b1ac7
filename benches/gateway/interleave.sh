#!/usr/bin/env bash
# Two builds of the gateway against one mock upstream, their runs
# interleaved (direct, A, B in each round) so that both see the same
# machine (BENCHMARKS.md "The binary's pages"). Prints one line per run:
# label, requests/s, then p50 and p99 in µs (at one in flight, of the whole
# request; with 256 streams, of the time to the first event).
#   bash benches/gateway/interleave.sh DIR_A DIR_B [c1|sse256] [ROUNDS] [SECS]
# DIR_A and DIR_B each hold a `release/cost`; the mock and the load
# generator come from DIR_A/release/examples. With ORDER=ba, B runs before
# A in each round.
# Needs: cargo build --release --bin cost --example mock_upstream --example loadgen
set -euo pipefail
a=${1:?DIR_A}; b=${2:?DIR_B}; mode=${3:-c1}; rounds=${4:-5}; secs=${5:-3}
dir=$(mktemp -d); pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$dir"; }
trap cleanup EXIT
source "$(dirname "$0")/port_of.sh"
"$a/release/examples/mock_upstream" --listen 127.0.0.1:0 --threads 1 --stream-events 16 --stream-gap-ms 10 >"$dir/mock.out" & pids+=($!)
mock=$(port_of "$dir/mock.out")
export COST_BENCH_GATEWAY_KEY=sk-bench
for side in a b; do
  build=$a; [[ $side == b ]] && build=$b
  "$build/release/cost" gateway benches/gateway/scenario.toml --plan router --listen 127.0.0.1:0 \
    --upstream "openai=http://$mock" --log "$dir/$side.jsonl" --ledger "$dir/$side.sqlite" --threads 1 2>"$dir/$side.err" & pids+=($!)
done
addr_a=$(port_of "$dir/a.err" | sed 's/[^0-9.:].*//'); addr_b=$(port_of "$dir/b.err" | sed 's/[^0-9.:].*//')
if [[ $mode == sse256 ]]; then
  conns=256; stream=',"stream":true'; p50=ttft_p50_us; p99=ttft_p99_us
else
  conns=1; stream=''; p50=p50_us; p99=p99_us
fi
body='{"model":"auto"'$stream',"messages":[{"role":"user","content":"Say hello in one short sentence."}],"max_tokens":64}'
order=("direct $mock" "A $addr_a" "B $addr_b")
[[ ${ORDER:-ab} == ba ]] && order=("direct $mock" "B $addr_b" "A $addr_a")
for _ in $(seq 1 "$rounds"); do
  for t in "${order[@]}"; do
    set -- $t
    out=$("$a/release/examples/loadgen" --warmup 1 --threads 1 --seconds "$secs" --connections $conns \
      --url "http://$2/v1/chat/completions" --body "$body" --header 'authorization: Bearer sk-bench')
    num() { grep -o "\"$1\":[0-9.]*" <<<"$out" | head -1 | cut -d: -f2; }
    echo "$1 $(num requests_per_s) $(num $p50) $(num $p99)"
  done
done
