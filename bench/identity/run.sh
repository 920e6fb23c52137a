#!/bin/sh
# The identity provider under concurrent load: code exchanges and refreshes (a Java client,
# codes obtained through the real sign-in flow), then passport reads (wrk) with one token.
# Usage: bench/identity/run.sh [--skip-build]   (CODES=3000 CONCURRENCY=32 DURATION=20s WRITE_DELAY=0
#        PORT=9380)
# The token rounds run on a cold server (their figures are the conservative ones); passport reads
# are warmed up until the server's JIT has settled and the rate is steady (bench/lib/warm-up.sh:
# WARMUP_MAX, WARMUP_JIT, WARMUP_TOLERANCE) first.
#   JFR=file.jfr records the server (Flight Recorder) from the token rounds to the end.
# The server gets a database of its own, empty at every run (target/bench/identity-db), so runs
# compare and ./run's database is left alone. On a shared machine run benchmarks one at a
# time (flock on a common lock file).
# Figures: docs/benchmarks.md and docs/identity.md.
set -eu
cd "$(dirname "$0")/../.."
root=$(pwd)
. bench/lib/warm-up.sh
CODES=${CODES:-3000}
CONCURRENCY=${CONCURRENCY:-32}
DURATION=${DURATION:-20s}
# H2's commit delay: 0 as server.xml (each commit in the file before it returns); WRITE_DELAY=500
# is H2's own default, the runtime before issue 18 (docs/benchmarks.md, "Crash durability")
WRITE_DELAY=${WRITE_DELAY:-0}
PORT=${PORT:-9380}
# Conduit's modules go into a private local repository under target/ (read-through to the usual
# one), as bench/runtime/run.sh does: the runtime's Liberty and exec goals need them, and a shared
# ~/.m2 (other builds on the machine) is neither written nor trusted to hold this tree's modules
M2="-Dmaven.repo.local=$root/target/bench/m2 -Dmaven.repo.local.tail=${MAVEN_REPO:-$HOME/.m2/repository}"
command -v wrk >/dev/null 2>&1 || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 2; }
trap './mvnw -q -B $M2 -pl runtime liberty:stop >/dev/null 2>&1 || true' EXIT
if [ "${1:-}" != "--skip-build" ]; then
  ./mvnw -q -B $M2 -pl runtime,compiler -am install -DskipTests
fi
mkdir -p target/bench
rm -rf target/bench/identity-db
compiler/bin/conduit compile connections-repo -o target/bench/acme.bundle.json
CONDUIT_DB_URL="jdbc:h2:file:$root/target/bench/identity-db/conduit;AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=$WRITE_DELAY" \
CONDUIT_BUNDLES="$root/target/bench/acme.bundle.json" \
CONDUIT_SEALING_PRIVATE_KEY="$root/connections-repo/demo-keys/runtime-key.DEMO-ONLY.json" \
HTTP_PORT=$PORT ./mvnw -q -B $M2 -pl runtime liberty:create liberty:deploy liberty:start
# the application may come up minutes after the server on a busy machine: wait for it, as run.sh does
for i in $(seq 1 300); do curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null && break; sleep 1; done
SERVER_PID=$(cat runtime/target/liberty/wlp/usr/servers/.pid/conduit.pid 2>/dev/null || echo 0)
if [ -n "${JFR:-}" ]; then
  jcmd "$SERVER_PID" JFR.start name=bench settings=profile filename="$JFR" >/dev/null
fi

./mvnw -q -B $M2 -pl runtime exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.conduit.runtime.bench.IdentityBench \
  -Dexec.args="http://127.0.0.1:$PORT $CODES $CONCURRENCY $root/target/bench/access-token $SERVER_PID"
TOKEN=$(cat target/bench/access-token)
URL="http://127.0.0.1:$PORT/api/v1/passport/get_passport_detail?access_token=$TOKEN"
echo
CONNECTIONS=$CONCURRENCY WARMUP_PID=$SERVER_PID warm_up "passport reads" "$URL"
echo "passport reads, wrk -t2 -c$CONCURRENCY -d$DURATION:"
# CPU ticks: the machine's busy and total, the server's (shares printed after the round)
ticks() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat 2>/dev/null; \
  awk '{sub(/.*\) /, ""); print $12+$13}' "/proc/$SERVER_PID/stat" 2>/dev/null || echo 0; }
before=$(ticks | tr '\n' ' ')
wrk -t2 -c"$CONCURRENCY" -d"$DURATION" --latency "$URL" | grep -E 'Requests/sec|50%|99%|Non-2xx|Socket errors'
echo "$before $(ticks | tr '\n' ' ')" | awk '$5 > $2 {printf "server %.0f%%, wrk and others %.0f%% of the machine'"'"'s CPU\n", \
  100 * ($6 - $3) / ($5 - $2), 100 * (($4 - $1) - ($6 - $3)) / ($5 - $2)}'
if [ -n "${JFR:-}" ]; then
  jcmd "$SERVER_PID" JFR.stop name=bench >/dev/null && echo "server recording: $JFR"
fi
