#!/usr/bin/env bash
# What a reverse proxy that does nothing costs on this machine, whatever it
# is built on (BENCHMARKS.md "## Gateway", "The floor"): the same mock
# upstream and load generator as run.sh, direct, through nginx and HAProxy
# (each one worker, keep-alive to the upstream, no access log), through
# examples/hyper_proxy (tokio and hyper alone; with --pooled, hyper in and
# hyper-util's pooled client out; with --reqwest, hyper in and the gateway's
# reqwest client out) and through
# examples/bare_proxy (the gateway's stack: axum and reqwest). Prints one JSON line per run, with the proxy's CPU
# time per request (user + system, from /proc/PID/stat, as cpu.sh does).
#   bash benches/gateway/floor.sh [SECONDS]      (default 8 s per run)
# Needs: cargo build --release --example mock_upstream --example loadgen --example bare_proxy --example hyper_proxy,
# and nginx and haproxy on PATH or in /usr/sbin (Debian: apt-get install nginx-light haproxy).
set -euo pipefail
secs=${1:-8}
bin=${CARGO_TARGET_DIR:-target}/release
PATH=$PATH:/usr/sbin
dir=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$dir"; }
trap cleanup EXIT

# shellcheck source=benches/gateway/port_of.sh
source "$(dirname "$0")/port_of.sh"

# A free port on 127.0.0.1 for the proxies that take a fixed one.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

"$bin/examples/mock_upstream" --listen 127.0.0.1:0 --threads 1 >"$dir/mock.out" &
pids+=($!)
mock=$(port_of "$dir/mock.out")

nginx_port=$(free_port)
cat >"$dir/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/nginx.err warn;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 10000000;
  keepalive_timeout 300s;
  client_body_temp_path $dir/nginx-body;
  proxy_temp_path $dir/nginx-proxy;
  upstream mock { server $mock; keepalive 64; keepalive_requests 10000000; keepalive_timeout 300s; }
  server {
    listen 127.0.0.1:$nginx_port;
    location / {
      proxy_pass http://mock;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
EOF
nginx -c "$dir/nginx.conf" -p "$dir" &
nginx_master=$!
pids+=($nginx_master)

haproxy_port=$(free_port)
cat >"$dir/haproxy.cfg" <<EOF
global
  nbthread 1
defaults
  mode http
  timeout connect 5s
  timeout client 30s
  timeout server 30s
  http-reuse always
frontend in
  bind 127.0.0.1:$haproxy_port
  default_backend mock
backend mock
  server m $mock
EOF
haproxy -f "$dir/haproxy.cfg" -db &
haproxy_pid=$!
pids+=($haproxy_pid)

"$bin/examples/bare_proxy" --upstream "http://$mock" --threads 1 >"$dir/bare.out" &
bare_pid=$!
pids+=($bare_pid)
bare=$(port_of "$dir/bare.out")
"$bin/examples/hyper_proxy" --upstream "$mock" >"$dir/hyper.out" &
hyper_pid=$!
pids+=($hyper_pid)
hyper=$(port_of "$dir/hyper.out")
"$bin/examples/hyper_proxy" --upstream "$mock" --reqwest >"$dir/hyper_reqwest.out" &
hyper_reqwest_pid=$!
pids+=($hyper_reqwest_pid)
hyper_reqwest=$(port_of "$dir/hyper_reqwest.out")
"$bin/examples/hyper_proxy" --upstream "$mock" --pooled >"$dir/hyper_pooled.out" &
hyper_pooled_pid=$!
pids+=($hyper_pooled_pid)
hyper_pooled=$(port_of "$dir/hyper_pooled.out")
sleep 0.5
nginx_worker=$(pgrep -P "$nginx_master" | head -1)

body='{"model":"auto","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Say hello in one short sentence."}],"max_tokens":64}'
lg() { "$bin/examples/loadgen" --warmup 0 --threads 1 --body "$body" --header 'authorization: Bearer sk-bench' "$@"; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
# One run through a proxy (PID, label, connections, URL) after 2 s of
# warm-up, with the proxy's CPU per request.
through() {
  local t0 t1 out n
  lg --seconds 2 --connections "$3" --url "$4" >/dev/null
  t0=$(ticks "$1")
  out=$(lg --seconds "$secs" --label "$2" --connections "$3" --url "$4")
  t1=$(ticks "$1")
  n=$(grep -o '"requests":[0-9]*' <<<"$out" | cut -d: -f2)
  echo "${out%\}},\"proxy_cpu_us_per_request\":$(( (t1 - t0) * 1000000 / hz / n ))}"
}
for c in 1 32; do
  lg --seconds 2 --connections "$c" --url "http://$mock/v1/chat/completions" >/dev/null
  lg --seconds "$secs" --label "direct_c$c" --connections "$c" --url "http://$mock/v1/chat/completions"
  through "$nginx_worker" "nginx_c$c" "$c" "http://127.0.0.1:$nginx_port/v1/chat/completions"
  through "$haproxy_pid" "haproxy_c$c" "$c" "http://127.0.0.1:$haproxy_port/v1/chat/completions"
  through "$hyper_pid" "hyper_c$c" "$c" "http://$hyper/v1/chat/completions"
  through "$hyper_pooled_pid" "hyper_pooled_c$c" "$c" "http://$hyper_pooled/v1/chat/completions"
  through "$hyper_reqwest_pid" "hyper_reqwest_c$c" "$c" "http://$hyper_reqwest/v1/chat/completions"
  through "$bare_pid" "bare_c$c" "$c" "http://$bare/v1/chat/completions"
done
