#!/bin/sh
# The identity provider under concurrent load: code exchanges and refreshes (a Java client,
# codes obtained through the real sign-in flow), then passport reads (wrk) with one token.
# Usage: bench/identity/run.sh [--skip-build]   (CODES=3000 CONCURRENCY=32 DURATION=20s)
# Figures: docs/benchmarks.md and docs/identity.md.
set -eu
cd "$(dirname "$0")/../.."
root=$(pwd)
CODES=${CODES:-3000}
CONCURRENCY=${CONCURRENCY:-32}
DURATION=${DURATION:-20s}
PORT=9380
command -v wrk >/dev/null 2>&1 || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 2; }
trap './mvnw -q -B -pl runtime liberty:stop >/dev/null 2>&1 || true' EXIT
if [ "${1:-}" != "--skip-build" ]; then
  ./mvnw -q -B install -DskipTests
fi
mkdir -p target/bench
compiler/bin/conduit compile connections-repo -o target/bench/acme.bundle.json
CONDUIT_BUNDLES="$root/target/bench/acme.bundle.json" \
CONDUIT_SEALING_PRIVATE_KEY="$root/connections-repo/demo-keys/runtime-key.DEMO-ONLY.json" \
HTTP_PORT=$PORT ./mvnw -q -B -pl runtime liberty:create liberty:deploy liberty:start
for i in $(seq 1 60); do curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null && break; sleep 1; done

./mvnw -q -B -pl runtime exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.conduit.runtime.bench.IdentityBench \
  -Dexec.args="http://127.0.0.1:$PORT $CODES $CONCURRENCY $root/target/bench/access-token"
TOKEN=$(cat target/bench/access-token)
URL="http://127.0.0.1:$PORT/api/v1/passport/get_passport_detail?access_token=$TOKEN"
wrk -t2 -c"$CONCURRENCY" -d20s "$URL" >/dev/null 2>&1   # warm-up
echo
echo "passport reads, wrk -t2 -c$CONCURRENCY -d$DURATION:"
wrk -t2 -c"$CONCURRENCY" -d"$DURATION" --latency "$URL" | grep -E 'Requests/sec|50%|99%|Non-2xx|Socket errors'
