#!/bin/sh
# Can one caller stall the others? (issue 18, part 2) A victim application calls an API of its
# connection (bench/create-order: a local upstream, client-credentials token) with wrk while an
# attacker application, with valid credentials, either
#   hang - keeps CALLERS invokes in flight to its own connection, whose upstream accepts and
#          never answers (stall-attack.py upstream), or
#   slow - keeps CALLERS invokes in flight whose bodies arrive a byte every 100 ms.
# For each server configuration, ROUNDS rounds of: the victim alone, then under each attack in
# ATTACKS order (DURATION seconds each, in turns, so all share the machine's state), after a
# warm-up. The first attack meets a fresh thread pool; Liberty keeps threads it grew for a
# while, so the second one meets a larger pool (ATTACKS="slow hang" to swap).
#   guarded   - the defaults (bulkheads, body deadline, read timeout, executor threads)
#   unguarded - the same build with those levers off: no bulkheads, a one-hour body deadline,
#               Liberty's 60 s read timeout, 64 core threads (the configuration before them)
# Prints every round, the medians of the victim's p99 and the ratios to its unloaded p99.
# Usage: bench/runtime/stall.sh [--skip-build]
#   (DURATION=15 ROUNDS=3 CALLERS=200 CONNECTIONS=8 THREADS=2 CONFIGS="guarded unguarded" ATTACKS="hang slow",
#    ports CONDUIT_PORT=9380 UPSTREAM_PORT=9301 HANG_PORT=9303; needs wrk, python3, curl)
# The victim's upstream and the hanging one are stall-attack.py (asyncio), so the attack's
# hundreds of connections cost little; the victim's absolute p99 includes that Python upstream.
# Figures: docs/benchmarks.md, "Stalls".
set -eu
cd "$(dirname "$0")/../.."
root=$(pwd)
. bench/lib/warm-up.sh
DURATION=${DURATION:-15}
ROUNDS=${ROUNDS:-3}
CALLERS=${CALLERS:-200}
CONNECTIONS=${CONNECTIONS:-8}
THREADS=${THREADS:-2}
CONFIGS=${CONFIGS:-guarded unguarded}
ATTACKS=${ATTACKS:-hang slow}
CONDUIT_PORT=${CONDUIT_PORT:-9380}
UPSTREAM_PORT=${UPSTREAM_PORT:-9301}
HANG_PORT=${HANG_PORT:-9303}
for tool in wrk python3 curl; do
  command -v $tool >/dev/null 2>&1 || { echo "bench: $tool is missing" >&2; exit 2; }
done

work=$(mktemp -d)
hang_pid=
stop_all() {
  [ -n "$hang_pid" ] && kill "$hang_pid" 2>/dev/null || true
  kill "$answer_pid" 2>/dev/null || true
  ./mvnw -q -B -pl runtime liberty:stop >/dev/null 2>&1 || true
}
trap stop_all EXIT
# the victim's upstream: fixed JSON (what nginx answers in run.sh), one asyncio process
python3 bench/runtime/stall-attack.py answer "$UPSTREAM_PORT" &
answer_pid=$!

# the hanging upstream: restarted after each hang attack, which closes the connections Conduit
# still waits on (so the next measurement does not start with 30 s timeouts in flight)
start_hang() {
  python3 bench/runtime/stall-attack.py upstream "$HANG_PORT" &
  hang_pid=$!
}
start_hang

if [ "${1:-}" != "--skip-build" ]; then
  ./mvnw -q -B install -DskipTests
fi
mkdir -p target/bench
cp -r bench/runtime/repo "$work/repo"
sed -i "s|127.0.0.1:9301|127.0.0.1:$UPSTREAM_PORT|" "$work/repo/connections/bench/connection.json"
sed -i "s|127.0.0.1:9303|127.0.0.1:$HANG_PORT|" "$work/repo/connections/hanging/connection.json"
compiler/bin/conduit compile "$work/repo" -o target/bench/stall.bundle.json

BASE="http://127.0.0.1:$CONDUIT_PORT/api/v1/connections"
VICTIM_URL="$BASE/bench/apis/create-order/invoke"
ATTACK_URL="$BASE/hanging/apis/wait/invoke"
VICTIM_AUTH="Basic $(printf 'bench-app-key:bench-app-secret' | base64)"
ATTACK_AUTH="Basic $(printf 'attacker-app-key:attacker-app-secret' | base64 -w0)"

start_server() { # config name
  ./mvnw -q -B -pl runtime liberty:stop >/dev/null 2>&1 || true
  if [ "$1" = unguarded ]; then
    export CONDUIT_INVOKE_MAX_CALLS_PER_CONNECTION=0 CONDUIT_INVOKE_MAX_CALLS_PER_APPLICATION=0 \
      CONDUIT_INVOKE_BODY_READ_SECONDS=3600 CONDUIT_HTTP_READ_TIMEOUT=60s CONDUIT_EXECUTOR_THREADS=64
  else
    unset CONDUIT_INVOKE_MAX_CALLS_PER_CONNECTION CONDUIT_INVOKE_MAX_CALLS_PER_APPLICATION \
      CONDUIT_INVOKE_BODY_READ_SECONDS CONDUIT_HTTP_READ_TIMEOUT CONDUIT_EXECUTOR_THREADS 2>/dev/null || true
  fi
  # the bench organization calls its upstreams on this machine: named, as an operator would
  CONDUIT_UPSTREAM_PRIVATE_NETWORK_ORGANIZATIONS=$(sed -n 's/^  "id": "\([^"]*\)".*/\1/p' "$work/repo/organization.json") \
  CONDUIT_DEMO_ENABLED=false CONDUIT_BUNDLES="$root/target/bench/stall.bundle.json" \
  CONDUIT_SEALING_PRIVATE_KEY="$root/connections-repo/demo-keys/runtime-key.DEMO-ONLY.json" \
  HTTP_PORT=$CONDUIT_PORT ./mvnw -q -B -pl runtime liberty:create liberty:deploy liberty:start -Dclean=true
  # the application itself, not only Liberty: on a loaded machine it came up minutes later
  for i in $(seq 1 300); do
    curl -sf -o /dev/null -u bench-app-key:bench-app-secret -d '{"customer":"Acme","items":[{"sku":"A-1","quantity":2}]}' \
      "http://127.0.0.1:$CONDUIT_PORT/api/v1/connections/bench/apis/create-order/invoke" && break
    sleep 1
  done
}

# the victim's p99 in ms and its non-2xx answers, DURATION seconds of wrk; when not one call
# was answered in that time the p99 is written as the duration (a lower bound) and marked
victim() { # label
  BENCH_AUTH="$VICTIM_AUTH" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 30s --latency \
    -s bench/runtime/post.lua "$VICTIM_URL" > "$work/$1.txt" 2>&1
  p99=$(awk -v d="$DURATION" '/ requests in / { n=$1 } $1=="99%" { v=$2; u=v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
    p = u=="us" ? v/1000 : u=="s" ? v*1000 : u=="m" ? v*60000 : v }
    END { if (n == 0) printf "%.1f*", d * 1000; else printf "%.1f", p }' "$work/$1.txt")
  bad=$(awk '/Non-2xx/ {n=$NF} /Socket errors/ {s=$0} END {print (n=="" ? 0 : n) (s=="" ? "" : " (" s ")")}' "$work/$1.txt")
  echo "$p99 $bad"
}

under() { # attack label
  python3 bench/runtime/stall-attack.py "$1" "$ATTACK_URL" "$ATTACK_AUTH" "$CALLERS" $((DURATION + 5)) > "$work/$2.attack" &
  attacker=$!
  sleep 3 # the attack in full swing first
  result=$(victim "$2")
  wait "$attacker"
  echo "$result | attacker got $(cat "$work/$2.attack")"
}

: > "$work/rounds"
for config in $CONFIGS; do
  start_server "$config"
  echo "[$config] victim answers: $(curl -s -u bench-app-key:bench-app-secret \
    -d '{"customer":"Acme","items":[{"sku":"A-1","quantity":2}]}' "$VICTIM_URL")"
  WARMUP_MAX=${WARMUP_MAX:-120} WARMUP_PID="$(cat runtime/target/liberty/wlp/usr/servers/.pid/conduit.pid 2>/dev/null || true)" \
    BENCH_AUTH="$VICTIM_AUTH" warm_up "$config" "$VICTIM_URL" -s bench/runtime/post.lua
  for round in $(seq 1 "$ROUNDS"); do
    hang=-; slow=-
    alone=$(victim "$config-alone-$round")
    for attack in $ATTACKS; do
      result=$(under "$attack" "$config-$attack-$round")
      eval "$attack=\$result"
      if [ "$attack" = hang ]; then
        kill "$hang_pid" 2>/dev/null || true; wait "$hang_pid" 2>/dev/null || true; start_hang; sleep 1
      fi
    done
    printf '%s round %s | alone p99 %s ms, non-2xx %s\n  hang  p99 %s\n  slow  p99 %s\n' \
      "$config" "$round" "$(echo "$alone" | cut -d' ' -f1)" "$(echo "$alone" | cut -d' ' -f2-)" "$hang" "$slow" | tee -a "$work/rounds"
    echo "$config $(echo "$alone" | cut -d' ' -f1) $(echo "$hang" | cut -d' ' -f1) $(echo "$slow" | cut -d' ' -f1)" \
      | tr -d '*' >> "$work/p99"
  done
done

echo
echo "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s (victim), $CALLERS attacking callers, $(nproc) cores shared by wrk, the Python upstreams, the attacker and Conduit, $(date -u +%Y-%m-%d)"
printf '%-10s %16s %16s %16s %12s %12s\n' config "alone p99 (ms)" "hang p99 (ms)" "slow p99 (ms)" "hang/alone" "slow/alone"
for config in $CONFIGS; do
  awk -v c="$config" '$1==c { a[n+0]=$2+0; h[n+0]=$3+0; s[n+0]=$4+0; n++ }
    function median(x, k,   i, j, t) { for (i = 0; i < k; i++) for (j = i + 1; j < k; j++) if (x[j] < x[i]) { t = x[i]; x[i] = x[j]; x[j] = t }
      return k % 2 ? x[int(k / 2)] : (x[k / 2 - 1] + x[k / 2]) / 2 }
    END { ma = median(a, n); mh = median(h, n); ms = median(s, n);
      printf "%-10s %16.1f %16.1f %16.1f %12.2f %12.2f\n", c, ma, mh, ms, mh / ma, ms / ma }' "$work/p99"
done
echo "(medians of $ROUNDS rounds; every round above; * marks a measurement in which the victim got no answer at all)"
