#!/usr/bin/env bash
# The gateway in front of an upstream reached as the providers are: over
# TLS, HTTP/2 by ALPN (examples/mock_upstream with the test certificate of
# tests/fixtures/tls, trusted through SSL_CERT_FILE), so that streams share
# one upstream connection (BENCHMARKS.md "The binary's pages"). Prints one
# JSON line per run and the gateway's resident memory (now and peak) before
# the load and after each run. The load generator speaks plain HTTP to the
# gateway, so there is no direct run to subtract.
#   bash benches/gateway/h2.sh [SECONDS]        (default 8 s per run)
# Needs: cargo build --release --bin cost --example mock_upstream --example loadgen
set -euo pipefail
secs=${1:-8}
bin=${CARGO_TARGET_DIR:-target}/release
tls=tests/fixtures/tls
dir=$(mktemp -d); pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$dir"; }
trap cleanup EXIT
source "$(dirname "$0")/port_of.sh"
"$bin/examples/mock_upstream" --listen 127.0.0.1:0 --threads 1 --stream-events 16 --stream-gap-ms 10 \
  --tls-cert "$tls/localhost.pem" --tls-key "$tls/localhost.key" >"$dir/mock.out" & pids+=($!)
port=$(port_of "$dir/mock.out" | sed 's/.*://')
export COST_BENCH_GATEWAY_KEY=sk-bench
SSL_CERT_FILE=$tls/ca.pem "$bin/cost" gateway benches/gateway/scenario.toml --plan router --listen 127.0.0.1:0 \
  --upstream "openai=https://localhost:$port" --log "$dir/requests.jsonl" --ledger "$dir/ledger.sqlite" \
  --threads 1 2>"$dir/gw.err" & gw_pid=$!; pids+=($gw_pid)
gw=$(port_of "$dir/gw.err" | sed 's/[^0-9.:].*//')
body='{"model":"auto","messages":[{"role":"user","content":"Say hello in one short sentence."}],"max_tokens":64}'
sbody='{"model":"auto","stream":true,"messages":[{"role":"user","content":"Say hello in one short sentence."}],"max_tokens":64}'
lg() { "$bin/examples/loadgen" --seconds "$secs" --warmup 2 --threads 1 --url "http://$gw/v1/chat/completions" --header 'authorization: Bearer sk-bench' "$@"; }
mem() {
  echo "{\"label\":\"gateway_memory_$1\",\"rss_kib\":$(awk '/VmRSS/{print $2}' /proc/$gw_pid/status),\"peak_rss_kib\":$(awk '/VmHWM/{print $2}' /proc/$gw_pid/status),\"upstream_connections\":$( (ss -Htn state established "( dport = :$port )" 2>/dev/null || true) | wc -l)}"
}
mem idle
lg --label gateway_h2_c1 --connections 1 --body "$body"
mem after_c1
lg --label gateway_h2_c32 --connections 32 --body "$body"
mem after_c32
lg --label gateway_h2_sse256 --connections 256 --body "$sbody" & load=$!
sleep $((secs / 2 + 2)); mem during_sse256
wait $load
mem after_sse256
