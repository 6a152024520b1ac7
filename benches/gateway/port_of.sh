# Sourced by the gateway benchmarks: the address a server printed.
port_of() { # waits (bounded) for "listening on ADDR" in $1
  for _ in $(seq 1 100); do
    if grep -q 'listening on' "$1" 2>/dev/null; then
      grep -o 'listening on [^ ]*' "$1" | head -1 | sed 's/listening on \(http:\/\/\)\?//'; return
    fi
    sleep 0.1
  done
  echo "timed out waiting for $1" >&2; exit 1
}
