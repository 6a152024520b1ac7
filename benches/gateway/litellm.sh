#!/usr/bin/env bash
# The peer beside `cost gateway` (issue 16, "Speed"): LiteLLM's proxy under the
# same load as benches/gateway/run.sh, against the same mock upstream, with the
# same bodies and the same bearer key. Prints one JSON line per run (labels
# direct_*, then litellm_* per worker setting) and LiteLLM's memory summed over
# its processes.
#   bash benches/gateway/litellm.sh [SECONDS]        (default 10 s per run)
# Needs: cargo build --release --example mock_upstream --example loadgen, and
# python3 (a venv with LiteLLM is made on first use, or reused).
# Environment:
#   LITELLM_VENV     the venv to make or reuse (default .venv-litellm)
#   LITELLM_VERSION  the LiteLLM release to install (default: the one measured)
#   LITELLM_WORKERS  worker counts to measure, one proxy start each
#                    (default "1 NPROC": LiteLLM's default, then one per CPU,
#                    the setting LiteLLM's Benchmarks page recommends)
set -euo pipefail
secs=${1:-10}
bin=${CARGO_TARGET_DIR:-target}/release
venv=${LITELLM_VENV:-.venv-litellm}
version=${LITELLM_VERSION:-1.108.0}
workers_list=${LITELLM_WORKERS:-"1 $(nproc)"}
dir=$(mktemp -d)
pids=()

# Every process this script starts dies with it: the mock, and each LiteLLM
# started in its own process group (its uvicorn workers included).
cleanup() {
  for p in "${pids[@]}"; do
    kill -TERM -- "-$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null || true
  done
  sleep 0.5
  for p in "${pids[@]}"; do kill -KILL -- "-$p" 2>/dev/null || true; done
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for b in "$bin/examples/mock_upstream" "$bin/examples/loadgen"; do
  [[ -x $b ]] || { echo "error: $b is missing; run: cargo build --release --example mock_upstream --example loadgen" >&2; exit 2; }
done

# The venv: reused when it already holds the pinned release.
installed() { "$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("litellm"))' 2>/dev/null || true; }
if [[ "$(installed)" != "$version" ]]; then
  echo "installing litellm[proxy]==$version into $venv" >&2
  [[ -x $venv/bin/python ]] || python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "litellm[proxy]==$version" >&2
fi
[[ "$(installed)" == "$version" ]] || { echo "error: $venv does not hold litellm $version" >&2; exit 1; }

# shellcheck source=benches/gateway/port_of.sh
source "$(dirname "$0")/port_of.sh"
free_port() { "$venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

"$bin/examples/mock_upstream" --listen 127.0.0.1:0 --threads 1 --stream-events 16 --stream-gap-ms 10 >"$dir/mock.out" &
pids+=($!)
mock=$(port_of "$dir/mock.out")

# The same virtual model as benches/gateway/scenario.toml's router plan sends
# easy prompts to, the same bearer key, no retries and a 30 s timeout as
# there; no database, so no virtual keys, budgets or spend logs.
cat >"$dir/litellm.yaml" <<EOF
model_list:
  - model_name: auto
    litellm_params:
      model: openai/gpt-4o-mini
      api_base: http://$mock/v1
      api_key: sk-mock-upstream
litellm_settings:
  num_retries: 0
  request_timeout: 30
  telemetry: false
general_settings:
  master_key: sk-bench
EOF

body='{"model":"auto","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Say hello in one short sentence."}],"max_tokens":64}'
sbody='{"model":"auto","stream":true,"messages":[{"role":"user","content":"Say hello in one short sentence."}],"max_tokens":64}'
auth='authorization: Bearer sk-bench'
lg() { "$bin/examples/loadgen" --seconds "$secs" --warmup 2 --threads 1 "$@"; }

echo "{\"label\":\"litellm_setup\",\"litellm_version\":\"$version\",\"workers\":\"$workers_list\",\"nproc\":$(nproc),\"loadavg\":\"$(loadavg)\"}"

lg --label direct_c1 --connections 1 --url "http://$mock/v1/chat/completions" --body "$body" --header "$auth"
lg --label direct_c32 --connections 32 --url "http://$mock/v1/chat/completions" --body "$body" --header "$auth"
lg --label direct_sse256 --connections 256 --url "http://$mock/v1/chat/completions" --body "$sbody" --header "$auth"

# Memory summed over LiteLLM's process group (the CLI and its uvicorn
# workers). RSS counts pages the workers share once per process; PSS splits
# them, so PSS is the fairer total with several workers.
memory() { # $1 = process group id, $2 = label
  local rss=0 hwm=0 pss=0 n=0 p
  for p in $(ps -e -o pid=,pgid= | awk -v g="$1" '$2 == g {print $1}'); do
    [[ -r /proc/$p/status ]] || continue
    n=$((n + 1))
    rss=$((rss + $(awk '/^VmRSS/{print $2}' "/proc/$p/status")))
    hwm=$((hwm + $(awk '/^VmHWM/{print $2}' "/proc/$p/status")))
    pss=$((pss + $(awk '/^Pss:/{print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)))
  done
  echo "{\"label\":\"$2\",\"processes\":$n,\"rss_kib\":$rss,\"peak_rss_kib\":$hwm,\"pss_kib\":$pss,\"loadavg\":\"$(loadavg)\"}"
}

# One request each way, checked before any load: a 200 and a priced answer,
# whole and streamed to the end.
preflight() { # $1 = port
  local code
  code=$(curl -sS -o "$dir/whole.json" -D "$dir/whole.headers" -w '%{http_code}' -H "$auth" \
    -H 'content-type: application/json' --data "$body" "http://127.0.0.1:$1/v1/chat/completions")
  [[ $code == 200 ]] || { echo "error: LiteLLM answered $code: $(head -c 300 "$dir/whole.json")" >&2; exit 1; }
  code=$(curl -sS -N -o "$dir/stream.txt" -w '%{http_code}' -H "$auth" \
    -H 'content-type: application/json' --data "$sbody" "http://127.0.0.1:$1/v1/chat/completions")
  if [[ $code != 200 ]] || ! grep -q '\[DONE\]' "$dir/stream.txt"; then
    echo "error: LiteLLM's stream answered $code without [DONE]: $(head -c 300 "$dir/stream.txt")" >&2; exit 1
  fi
  local cost
  cost=$(grep -i '^x-litellm-response-cost:' "$dir/whole.headers" | tr -d '\r' | cut -d' ' -f2 || true)
  echo "{\"label\":\"litellm_preflight\",\"whole_status\":200,\"stream_done\":true,\"x_litellm_response_cost\":\"${cost:-absent}\"}"
}

for w in $workers_list; do
  tag=litellm
  [[ $w == 1 ]] || tag="litellm_w$w"
  port=$(free_port)
  # With several workers uvicorn's supervisor restarts a worker that is not
  # up within 5 s, and importing LiteLLM takes longer than that here: give
  # the workers the same bound as the wait below, or they restart forever.
  health=()
  [[ $w == 1 ]] || health=(--timeout_worker_healthcheck 180)
  # LITELLM_LOG=ERROR and LITELLM_MODE=PRODUCTION as LiteLLM's production
  # page advises; the local cost map, as there is no network here.
  # setsid gives it a process group of its own, whose id the inner shell
  # writes down before it becomes LiteLLM (exec keeps the pid).
  # shellcheck disable=SC2016 # $$ and $@ are the inner shell's
  LITELLM_LOG=ERROR LITELLM_MODE=PRODUCTION LITELLM_LOCAL_MODEL_COST_MAP=True \
    setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$dir/litellm-$w.pid" \
    "$venv/bin/litellm" --config "$dir/litellm.yaml" --host 127.0.0.1 --port "$port" \
    --num_workers "$w" "${health[@]}" >"$dir/litellm-$w.log" 2>&1 &
  for _ in $(seq 1 50); do [[ -s $dir/litellm-$w.pid ]] && break; sleep 0.1; done
  pg=$(cat "$dir/litellm-$w.pid")
  pids+=("$pg")
  ready=
  for _ in $(seq 1 360); do # at most 180 s: importing LiteLLM is slow
    if curl -fsS -o /dev/null "http://127.0.0.1:$port/health/liveliness" 2>/dev/null; then ready=1; break; fi
    kill -0 "$pg" 2>/dev/null || break
    sleep 0.5
  done
  [[ -n $ready ]] || { echo "error: LiteLLM did not become ready; its log:" >&2; tail -20 "$dir/litellm-$w.log" >&2; exit 1; }
  memory "$pg" "${tag}_memory_idle"
  preflight "$port"
  lg --label "${tag}_c1" --connections 1 --url "http://127.0.0.1:$port/v1/chat/completions" --body "$body" --header "$auth"
  lg --label "${tag}_c32" --connections 32 --url "http://127.0.0.1:$port/v1/chat/completions" --body "$body" --header "$auth"
  lg --label "${tag}_sse256" --connections 256 --url "http://127.0.0.1:$port/v1/chat/completions" --body "$sbody" --header "$auth"
  memory "$pg" "${tag}_memory"
  kill -TERM -- "-$pg" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pg" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$pg" 2>/dev/null || true
done
