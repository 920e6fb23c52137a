#!/bin/sh
# Conduit's invoke against what a user would pick instead, same run, same upstream, same call:
# a Basic-authenticated caller, a cached bearer token injected, a JSON body built from the
# inputs, two fields of the upstream's answer returned, an access/request log written.
#   direct   - the upstream itself (nginx answering fixed JSON; /orders wants the bearer token)
#   nginx    - nginx proxy_pass injecting the bearer token: the limit of a pure proxy
#   forward  - Conduit's own server, bare: POST /bench/forward (JAX-RS, no auth, no checks, no
#              templates, no log) through the invoke path's upstream client: the ceiling of
#              "this server plus one upstream call" (conduit.bench.forward-url turns it on)
#   conduit  - Conduit's invoke: Basic auth of the application, input checks, the JSON body
#              template, a cached client-credentials token, two outputs, a request-log row
#   gateway  - Spring Cloud Gateway (bench/peers/gateway): Basic in, cached bearer out, body
#              rewrite, two fields, Reactor Netty's access log
#   n8n      - n8n 1.x (bench/peers/n8n): a webhook workflow with Basic auth, an HTTP Request
#              node with a stored OAuth2 client-credentials credential, the two fields answered
# Each round measures every target in turn (warm-up until steady, one connection for 10 s, then
# wrk -t$THREADS -c$CONNECTIONS for $DURATION); RUNS rounds (default 3), then the medians and
# the ratios (each ratio is the median of the per-round ratios).
# Usage: bench/runtime/run.sh [--skip-build]   (RUNS=3 DURATION=15s CONNECTIONS=32 THREADS=2
#        TARGETS="direct nginx forward conduit gateway n8n"; SERVER_JVM="-Dliberty.jvm.gc=-XX:+UseZGC"
#        adds options to Conduit's server JVM, each a -Dliberty.jvm.NAME=OPTION)
#   JFR=file.jfr records Conduit's server (Flight Recorder, profile settings) while round 1 measures
#   the conduit target and the forward target, after their warm-ups, into file-conduit.jfr and
#   file-forward.jfr (those measurements carry the recording's cost: compare them with each other)
# Needs wrk and nginx (Debian: apt-get install wrk nginx-light), Node 20 and npm for n8n (the
# script installs n8n into bench/runtime/target/n8n on first use). Figures: docs/benchmarks.md.
# Raw output: bench/runtime/target/run-<time>/ (copy what you record into bench/runtime/results/).
set -eu
cd "$(dirname "$0")/../.."
root=$(pwd)
. bench/lib/warm-up.sh
. .mvn/find-jdk.sh
RUNS=${RUNS:-3}
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
TARGETS=${TARGETS:-direct nginx forward conduit gateway n8n}
UPSTREAM_PORT=${UPSTREAM_PORT:-9301}
PROXY_PORT=${PROXY_PORT:-9302}
GATEWAY_PORT=${GATEWAY_PORT:-9303}
N8N_PORT=${N8N_PORT:-9304}
CONDUIT_PORT=${CONDUIT_PORT:-9380}
CONDUIT_HTTPS_PORT=${CONDUIT_HTTPS_PORT:-9381}
for tool in wrk nginx; do
  command -v $tool >/dev/null 2>&1 || { echo "bench: $tool is missing (apt-get install wrk nginx-light)" >&2; exit 2; }
done
# Conduit's modules go into a private local repository under target/ (read-through to the usual
# one): the Liberty goals of the runtime module need them, and a shared ~/.m2 is left alone
M2="-Dmaven.repo.local=$root/bench/runtime/target/m2 -Dmaven.repo.local.tail=${MAVEN_REPO:-$HOME/.m2/repository}"
has() { case " $TARGETS " in *" $1 "*) return 0 ;; esac; return 1; }

work=$root/bench/runtime/target/run-$(date -u +%Y%m%dT%H%MZ)
mkdir -p "$work/body" "$work/proxy" "$work/fastcgi" "$work/uwsgi" "$work/scgi"
stop() {
  kill $(cat "$work/nginx.pid" 2>/dev/null) 2>/dev/null || true
  [ -f "$work/gateway.pid" ] && kill "$(cat "$work/gateway.pid")" 2>/dev/null || true
  [ -f "$work/n8n.pid" ] && kill "$(cat "$work/n8n.pid")" 2>/dev/null || true
  ./mvnw -q -B $M2 -pl runtime liberty:stop >/dev/null 2>&1 || true
}
trap stop EXIT
sed -e "s|WORKDIR|$work|g" -e "s|UPSTREAM_PORT|$UPSTREAM_PORT|g" -e "s|PROXY_PORT|$PROXY_PORT|g" \
  bench/runtime/nginx.conf.template > "$work/nginx.conf"
nginx -c "$work/nginx.conf" -p "$work" &

if [ "${1:-}" != "--skip-build" ]; then
  ./mvnw -q -B $M2 -pl runtime,compiler -am install -DskipTests
  has gateway && ./mvnw -q -B -f bench/peers/gateway/pom.xml package -DskipTests
fi

# Conduit, with the bare forward endpoint on
if has conduit || has forward; then
  # the bench connection's base URL names the upstream's default port: compile a copy that names
  # $UPSTREAM_PORT, so a run on other ports calls its own upstream
  cp -r bench/runtime/repo "$work/repo"
  sed -i "s|http://127.0.0.1:9301|http://127.0.0.1:$UPSTREAM_PORT|" "$work/repo/connections/bench/connection.json"
  compiler/bin/conduit compile "$work/repo" -o "$work/bench.bundle.json"
  # the bench organization calls its upstream on this machine: named, as an operator would
  CONDUIT_UPSTREAM_PRIVATE_NETWORK_ORGANIZATIONS=$(sed -n 's/^  "id": "\([^"]*\)".*/\1/p' "$work/repo/organization.json") \
  CONDUIT_BUNDLES="$work/bench.bundle.json" \
  CONDUIT_SEALING_PRIVATE_KEY="$root/connections-repo/demo-keys/runtime-key.DEMO-ONLY.json" \
  CONDUIT_BENCH_FORWARD_URL="http://127.0.0.1:$UPSTREAM_PORT/orders" \
  HTTP_PORT=$CONDUIT_PORT HTTPS_PORT=$CONDUIT_HTTPS_PORT ./mvnw -q -B $M2 -pl runtime liberty:create liberty:deploy liberty:start -Dclean=true ${SERVER_JVM:-}
fi
# Spring Cloud Gateway
if has gateway; then
  ACCESS_LOG="$work/gateway-access.log" GATEWAY_PORT=$GATEWAY_PORT BENCH_UPSTREAM="http://127.0.0.1:$UPSTREAM_PORT" \
    "$JAVA_HOME/bin/java" -Dreactor.netty.http.server.accessLogEnabled=true --enable-native-access=ALL-UNNAMED \
    -jar bench/peers/gateway/target/gateway-peer.jar > "$work/gateway.out" 2>&1 &
  echo $! > "$work/gateway.pid"
fi
# n8n (installs on first use)
if has n8n; then
  N8N_PORT=$N8N_PORT UPSTREAM_PORT=$UPSTREAM_PORT bench/peers/n8n/setup.sh "$work" > "$work/n8n-setup.log" 2>&1 ||
    { echo "bench: n8n setup failed, see $work/n8n-setup.log" >&2; exit 1; }
fi

if has conduit || has forward; then
  for i in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$CONDUIT_PORT/health/ready" >/dev/null && break
    sleep 1
  done
fi
BODY='{"customer":"Acme","items":[{"sku":"A-1","quantity":2}]}'
answer() { curl -s -u bench-app-key:bench-app-secret -H 'Content-Type: application/json' -d "$BODY" "$1"; }
check() { # name url: the call must answer the two fields, or the run means nothing
  a=$(answer "$2")
  echo "$1 answers: $a"
  case "$a" in *ord-1*39.8*) ;; *) echo "bench: $1 does not answer the two fields" >&2; exit 1 ;; esac
}
if has conduit; then
  for i in $(seq 1 120); do answer "http://127.0.0.1:$CONDUIT_PORT/api/v1/connections/bench/apis/create-order/invoke" | grep -q ord-1 && break; sleep 1; done
  check conduit "http://127.0.0.1:$CONDUIT_PORT/api/v1/connections/bench/apis/create-order/invoke"
fi
if has gateway; then
  for i in $(seq 1 180); do answer "http://127.0.0.1:$GATEWAY_PORT/invoke" | grep -q ord-1 && break; sleep 1; done
  check gateway "http://127.0.0.1:$GATEWAY_PORT/invoke"
fi
has n8n && check n8n "http://127.0.0.1:$N8N_PORT/webhook/invoke"
if has forward; then
  fwd=$(curl -s -H 'Authorization: Bearer bench-token' -H 'Content-Type: application/json' -d "$BODY" "http://127.0.0.1:$CONDUIT_PORT/bench/forward")
  echo "forward answers: $fwd"
  case "$fwd" in *ord-1*) ;; *) echo "bench: the bare forward endpoint does not answer" >&2; exit 1 ;; esac
fi

SERVER_PID=$(cat runtime/target/liberty/wlp/usr/servers/.pid/conduit.pid 2>/dev/null || echo "")
GATEWAY_PID=$(cat "$work/gateway.pid" 2>/dev/null || echo "")
APP_AUTH="Basic $(printf 'bench-app-key:bench-app-secret' | base64)"
BEARER="Bearer bench-token"

url_of() {
  case $1 in
    direct) echo "http://127.0.0.1:$UPSTREAM_PORT/orders" ;;
    nginx) echo "http://127.0.0.1:$PROXY_PORT/orders" ;;
    forward) echo "http://127.0.0.1:$CONDUIT_PORT/bench/forward" ;;
    conduit) echo "http://127.0.0.1:$CONDUIT_PORT/api/v1/connections/bench/apis/create-order/invoke" ;;
    gateway) echo "http://127.0.0.1:$GATEWAY_PORT/invoke" ;;
    n8n) echo "http://127.0.0.1:$N8N_PORT/webhook/invoke" ;;
  esac
}
auth_of() { # the forward endpoint passes the caller's Authorization header on as it came
  case $1 in direct | forward) echo "$BEARER" ;; nginx) echo "" ;; *) echo "$APP_AUTH" ;; esac
}
N8N_PID=$(cat "$work/n8n.pid" 2>/dev/null || echo "")
pid_of() { case $1 in forward | conduit) echo "$SERVER_PID" ;; gateway) echo "$GATEWAY_PID" ;; n8n) echo "$N8N_PID" ;; *) echo "" ;; esac; }
# CPU ticks (1/100 s, user + system) a process has used so far, its threads included; for nginx
# (direct, nginx) its one worker, which serves both the upstream and the proxy
ticks() {
  case $1 in direct | nginx) p=$(pgrep -P "$(cat "$work/nginx.pid")" | head -n 1) ;; *) p=$(pid_of "$1") ;; esac
  [ -n "$p" ] && awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$p/stat" 2>/dev/null || echo 0
}

# the request-log writer's rows written and commits so far (/health/live)
log_counts() {
  live=$(curl -s "http://127.0.0.1:$CONDUIT_PORT/health/live" | tr -d '\n ')
  for counter in requestLogsWritten requestLogCommits; do
    echo "$live" | sed "s/.*\"$counter\":\([0-9]*\).*/\1/; t; s/.*/0/"
  done | tr '\n' ' '
}
measure() { # round name
  name=$2; url=$(url_of "$name"); auth=$(auth_of "$name")
  WARMUP_PID=$(pid_of "$name") BENCH_AUTH="$auth" warm_up "$name (round $1)" "$url" -s bench/runtime/post.lua | tee -a "$work/climb"
  # a pause for the work the warm-up left behind (Conduit's request-log writer catching up)
  sleep 5
  recording=""
  if [ -n "${JFR:-}" ] && [ "$1" = 1 ] && { [ "$name" = conduit ] || [ "$name" = forward ]; }; then
    recording="${JFR%.jfr}-$name.jfr"
    "$JAVA_HOME/bin/jcmd" "$SERVER_PID" JFR.start name=bench settings=profile filename="$recording" >/dev/null || recording=""
  fi
  # one connection first: latency without queueing (what a single call adds)
  BENCH_AUTH="$auth" wrk -t1 -c1 -d10s --latency -s bench/runtime/post.lua "$url" > "$work/$name-$1-1.txt" 2>&1
  cpu_before=$(ticks "$name")
  [ "$name" = conduit ] && logs_before=$(log_counts)
  BENCH_AUTH="$auth" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/runtime/post.lua "$url" > "$work/$name-$1.txt" 2>&1
  cpu=$(( $(ticks "$name") - cpu_before ))
  if [ "$name" = conduit ]; then # how many request-log rows each H2 commit wrote in this measurement
    echo "$1 $logs_before $(log_counts)" | awk '{ w = $4 - $2; c = $5 - $3
      printf "round %s: %d request logs written in %d commits, %.1f rows per commit\n", $1, w, c, (c > 0 ? w / c : 0) }' >> "$work/log-commits"
  fi
  [ -n "$recording" ] && "$JAVA_HOME/bin/jcmd" "$SERVER_PID" JFR.stop name=bench >/dev/null && echo "server recording: $recording"
  calls=$(awk '/requests in/ {print $1}' "$work/$name-$1.txt")
  # the serving process's CPU per call under load, in µs (the machine's load moves it less than requests/s)
  us=$(awk -v t="$cpu" -v n="${calls:-0}" 'BEGIN { if (n > 0 && t > 0) printf "%.0f", t * 10000 / n; else print "-" }')
  rps=$(awk '/^Requests\/sec/ {print $2}' "$work/$name-$1.txt")
  p50=$(awk '$1=="50%" {print $2}' "$work/$name-$1.txt")
  p99=$(awk '$1=="99%" {print $2}' "$work/$name-$1.txt")
  l50=$(awk '$1=="50%" {print $2}' "$work/$name-$1-1.txt")
  l99=$(awk '$1=="99%" {print $2}' "$work/$name-$1-1.txt")
  errors=$(cat "$work/$name-$1.txt" "$work/$name-$1-1.txt" | awk '/Non-2xx|Socket errors/ {print}' | tr '\n' ' ')
  echo "$1 $name $rps $p50 $p99 $l50 $l99 $(uptime | sed 's/.*load average: //; s/,//g' | cut -d' ' -f1) $us $errors" >> "$work/results"
}
: > "$work/results"
: > "$work/log-commits"
for round in $(seq 1 "$RUNS"); do
  for target in $TARGETS; do
    measure "$round" "$target"
  done
done

{
  echo
  cat "$work/climb"
  echo
  echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $RUNS rounds, $(nproc) cores shared by wrk, the upstream and every target, $(date -u +%Y-%m-%dT%H:%MZ)"
  printf '%-6s %-8s %12s %10s %10s %12s %12s %6s %8s  %s\n' round target requests/s p50 p99 "p50 (1 conn)" "p99 (1 conn)" load "cpu/call" errors
  while read -r round name rps p50 p99 l50 l99 load us errors; do
    printf '%-6s %-8s %12s %10s %10s %12s %12s %6s %8s  %s\n' "$round" "$name" "$rps" "$p50" "$p99" "$l50" "$l99" "$load" "$us" "$errors"
  done < "$work/results"
  echo
  awk -f bench/runtime/medians.awk "$work/results"
  if has conduit; then
    curl -s "http://127.0.0.1:$CONDUIT_PORT/health/live" |
      sed 's/.*requestLogsDropped":\([0-9]*\).*/Conduit request logs dropped: \1/'
    echo
    cat "$work/log-commits" 2>/dev/null || true
  fi
  has gateway && echo "gateway access-log lines: $(wc -l < "$work/gateway-access.log")"
} | tee "$work/summary.txt"
