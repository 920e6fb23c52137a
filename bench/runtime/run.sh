#!/bin/sh
# The cost of going through Conduit: one load generator (wrk), one local upstream (nginx
# returning fixed JSON), three ways to reach it in the same run:
#   direct   - the upstream itself
#   nginx    - through nginx proxy_pass (what a pure proxy costs)
#   liberty  - a bare JAX-RS POST in Conduit's own server (the demo upstream's orders: parse
#              JSON, check a bearer token, answer JSON): the ceiling of the server itself
#   conduit  - Conduit's invoke endpoint: Basic auth of the application, input checks, a JSON
#              body template, a cached client-credentials token, two outputs, a request log
# Usage: bench/runtime/run.sh [--skip-build]    (DURATION=15s CONNECTIONS=32 THREADS=2)
# Each target is warmed up until steady (for Conduit's server: until its JIT has settled too;
# bench/lib/warm-up.sh: WARMUP_MAX, WARMUP_JIT, WARMUP_TOLERANCE) and the climb is printed.
# Needs wrk and nginx (Debian packages). Figures: docs/benchmarks.md.
set -eu
cd "$(dirname "$0")/../.."
root=$(pwd)
. bench/lib/warm-up.sh
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
UPSTREAM_PORT=9301
PROXY_PORT=9302
CONDUIT_PORT=9380
for tool in wrk nginx; do
  command -v $tool >/dev/null 2>&1 || { echo "bench: $tool is missing (apt-get install $tool)" >&2; exit 2; }
done

work=$(mktemp -d)
trap 'kill $(cat "$work/nginx.pid" 2>/dev/null) 2>/dev/null || true; ./mvnw -q -B -pl runtime liberty:stop >/dev/null 2>&1 || true' EXIT
mkdir -p "$work/body" "$work/proxy" "$work/fastcgi" "$work/uwsgi" "$work/scgi"
sed -e "s|WORKDIR|$work|g" -e "s|UPSTREAM_PORT|$UPSTREAM_PORT|g" -e "s|PROXY_PORT|$PROXY_PORT|g" \
  bench/runtime/nginx.conf.template > "$work/nginx.conf"
nginx -c "$work/nginx.conf" -p "$work" &

if [ "${1:-}" != "--skip-build" ]; then
  ./mvnw -q -B install -DskipTests
fi
mkdir -p target/bench
compiler/bin/conduit compile bench/runtime/repo -o target/bench/bench.bundle.json
CONDUIT_DEMO_ENABLED=true CONDUIT_BUNDLES="$root/target/bench/bench.bundle.json" \
CONDUIT_SEALING_PRIVATE_KEY="$root/connections-repo/demo-keys/runtime-key.DEMO-ONLY.json" \
HTTP_PORT=$CONDUIT_PORT ./mvnw -q -B -pl runtime liberty:create liberty:deploy liberty:start -Dclean=true
for i in $(seq 1 60); do
  curl -sf "http://127.0.0.1:$CONDUIT_PORT/health/ready" >/dev/null && break
  sleep 1
done

AUTH="Basic $(printf 'bench-app-key:bench-app-secret' | base64)"
check=$(curl -s -u bench-app-key:bench-app-secret -H 'Content-Type: application/json' -d '{"customer":"Acme","items":[{"sku":"A-1","quantity":2}]}' \
  "http://127.0.0.1:$CONDUIT_PORT/api/v1/connections/bench/apis/create-order/invoke")
echo "conduit answers: $check"

SERVER_PID=$(cat runtime/target/liberty/wlp/usr/servers/.pid/conduit.pid 2>/dev/null || echo "")

run() { # name url auth [server pid: warm-up also waits for its JIT]
  WARMUP_PID="${4:-}" BENCH_AUTH="$3" warm_up "$1" "$2" -s bench/runtime/post.lua | tee -a "$work/climb"
  # a pause for the work the warm-up left behind (Conduit's request-log writer catching up)
  sleep 5
  # one connection first: latency without queueing (what a single call adds)
  BENCH_AUTH="$3" wrk -t1 -c1 -d10s --latency -s bench/runtime/post.lua "$2" > "$work/$1-1.txt" 2>&1
  BENCH_AUTH="$3" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/runtime/post.lua "$2" > "$work/$1.txt" 2>&1
  rps=$(awk '/^Requests\/sec/ {print $2}' "$work/$1.txt")
  p50=$(awk '$1=="50%" {print $2}' "$work/$1.txt")
  p99=$(awk '$1=="99%" {print $2}' "$work/$1.txt")
  l50=$(awk '$1=="50%" {print $2}' "$work/$1-1.txt")
  l99=$(awk '$1=="99%" {print $2}' "$work/$1-1.txt")
  errors=$(cat "$work/$1.txt" "$work/$1-1.txt" | awk '/Non-2xx|Socket errors/ {print}' | tr '\n' ' ')
  echo "$1 $rps $p50 $p99 $l50 $l99 $errors" >> "$work/results"
}
: > "$work/results"
run direct "http://127.0.0.1:$UPSTREAM_PORT/orders" ""
run nginx "http://127.0.0.1:$PROXY_PORT/orders" ""
DEMO_TOKEN=$(curl -s -d grant_type=client_credentials -d client_id=demo-client -d client_secret=demo-client-secret \
  "http://127.0.0.1:$CONDUIT_PORT/demo-upstream/oauth/token" | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
run liberty "http://127.0.0.1:$CONDUIT_PORT/demo-upstream/orders" "Bearer $DEMO_TOKEN" "$SERVER_PID"
run conduit "http://127.0.0.1:$CONDUIT_PORT/api/v1/connections/bench/apis/create-order/invoke" "$AUTH" "$SERVER_PID"

echo
cat "$work/climb"
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $(nproc) cores shared by wrk, nginx and Conduit, $(date -u +%Y-%m-%d)"
printf '%-8s %12s %10s %10s %12s %12s  %s\n' target requests/s p50 p99 "p50 (1 conn)" "p99 (1 conn)" errors
while read -r name rps p50 p99 l50 l99 errors; do
  printf '%-8s %12s %10s %10s %12s %12s  %s\n' "$name" "$rps" "$p50" "$p99" "$l50" "$l99" "$errors"
done < "$work/results"
awk 'NR==FNR { r[$1]=$2; next } END {
  printf "\nconduit/nginx throughput %.2f   conduit/direct throughput %.2f   liberty/nginx %.2f   conduit/liberty %.2f\n",
    r["conduit"]/r["nginx"], r["conduit"]/r["direct"], r["liberty"]/r["nginx"], r["conduit"]/r["liberty"] }' \
  "$work/results" "$work/results"
curl -s "http://127.0.0.1:$CONDUIT_PORT/health/live" | sed 's/.*requestLogsDropped":\([0-9]*\).*/request logs dropped under load: \1/'; echo
