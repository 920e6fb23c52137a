#!/bin/sh
# Invoke latency while GitOps reconciles a 10,000-API organization (issue 14: the invoke p99 during
# the reconcile/swap window stays within 20% of its steady value).
#
# One Liberty server (the runtime as ./run builds it) follows a generated organization repository
# (bench/jmh-compiler's RepoGenerator, 1,000 connections x 10 APIs, plus the invoke bench's "bench"
# connection and application) in a local bare Git remote, with the push webhook on. wrk drives
# paced invokes of bench/create-order (paced.lua: each of CONNECTIONS connections waits
# DELAY_MS after every answer: loaded, not saturated) against a local nginx upstream. Per round:
#   steady - wrk for STEADY (after a warm-up in round 1)
#   swap   - wrk started, then a commit pushed (one API renamed) and the webhook sent; wrk is
#            stopped (SIGINT: it prints what it measured) when the server serves the new commit
#            (the admin endpoint's servedHere): fetch, compile and swap are inside the window
# RUNS rounds per compile mode (default 3) on one server, after one unmeasured push per mode. With
# MODES="worker server" (the default; conduit.git.compile-in, docs/gitops.md) the modes alternate round by round (A, B, A, B,
# ...), set through a configDropins file the server reads again without a restart (and checked on
# the admin endpoint's compileIn before the round), so that a burst of load hits both alike. Then,
# per mode, the medians and the median of the per-round ratios swap p99 / steady p99, and the
# per-pair ratios B/A. The server's CPU per window (ticks; a compile worker's, a child process,
# counted apart) is printed too.
# Usage: bench/runtime/reconcile.sh [--skip-build]   (RUNS=3 MODES="worker server" STEADY=20s
#        CONNECTIONS=8 THREADS=2 DELAY_MS=10 SIZE=1000 PORT=9232 UPSTREAM_PORT=9233
#        HTTPS_PORT=9234 JFR=1 to record the server with JFR, SERVER_JVM="-Dliberty.jvm.gc=-XX:+UseZGC"
#        for more server JVM options, each a -Dliberty.jvm.NAME=OPTION)
# Needs wrk, nginx (apt-get install wrk nginx-light), git, jq. Figures: docs/benchmarks.md
# ("GitOps"). Raw output: bench/runtime/target/reconcile-<time>/.
set -eu
# the push webhook's shared secret: the runtime refuses to start with one under 32 characters
HOOK_SECRET=bench-webhook-secret-0123456789abcdef
cd "$(dirname "$0")/../.."
root=$(pwd)
. .mvn/find-jdk.sh
RUNS=${RUNS:-3}
MODES=${MODES:-worker server}
STEADY=${STEADY:-20s}
CONNECTIONS=${CONNECTIONS:-8}
THREADS=${THREADS:-2}
DELAY_MS=${DELAY_MS:-10}
SIZE=${SIZE:-1000}
PORT=${PORT:-9232}
UPSTREAM_PORT=${UPSTREAM_PORT:-9233}
PROXY_PORT=${PROXY_PORT:-9237}
HTTPS_PORT=${HTTPS_PORT:-9234}
for tool in wrk nginx git jq; do
  command -v $tool >/dev/null 2>&1 || { echo "bench: $tool is missing" >&2; exit 2; }
done
M2="-Dmaven.repo.local=$root/bench/runtime/target/m2 -Dmaven.repo.local.tail=${MAVEN_REPO:-$HOME/.m2/repository}"
# ATTACH=DIR: the rounds only, against the server, nginx and repository an earlier run of this
# script left running in DIR (its work folder)
work=${ATTACH:-$root/bench/runtime/target/reconcile-$(date -u +%Y%m%dT%H%MZ)}
mkdir -p "$work/body" "$work/proxy" "$work/fastcgi" "$work/uwsgi" "$work/scgi"
stop() {
  [ -f "$work/wrk.pid" ] && kill "$(cat "$work/wrk.pid")" 2>/dev/null || true
  kill "$(cat "$work/nginx.pid" 2>/dev/null)" 2>/dev/null || true
  ./mvnw -q -B $M2 -pl runtime liberty:stop >/dev/null 2>&1 || true
}
trap stop EXIT
tree=$work/tree
if [ -z "${ATTACH:-}" ]; then
sed -e "s|WORKDIR|$work|g" -e "s|UPSTREAM_PORT|$UPSTREAM_PORT|g" -e "s|PROXY_PORT|$PROXY_PORT|g" \
  bench/runtime/nginx.conf.template > "$work/nginx.conf"
nginx -c "$work/nginx.conf" -p "$work" &

if [ "${1:-}" != "--skip-build" ]; then
  ./mvnw -q -B $M2 -pl runtime,compiler,bench/jmh-compiler -am install -DskipTests
fi

# the organization: generated, plus the invoke bench's connection (its secret sealed anew: a
# sealed value is bound to its organization) and application, owned by the generated admin alice
"$JAVA_HOME/bin/java" -cp "bench/jmh-compiler/target/conduit-bench-compiler.jar:bench/jmh-compiler/target/lib/*" \
  dev.conduit.bench.compiler.RepoGenerator --connections "$SIZE" --apis 10 "$tree" | tail -n 1
cp -r bench/runtime/repo/connections/bench "$tree/connections/bench"
cp bench/runtime/repo/applications/bench-app.json "$tree/applications/"
jq --arg url "http://127.0.0.1:$UPSTREAM_PORT" \
  '(.parameters[] | select(.name == "base_url")).value = $url | del(.parameters[] | select(.name == "client_secret"))' \
  bench/runtime/repo/connections/bench/connection.json > "$tree/connections/bench/connection.json"
printf 'bench-secret' | compiler/bin/conduit seal "$tree" --connection bench --parameter client_secret >/dev/null
git -C "$tree" init -q -b main
git -C "$tree" add -A
git -C "$tree" -c user.name=bench -c user.email=bench@example.invalid commit -q -m "generated organization"
git clone -q --bare "$tree" "$work/remote.git"
git -C "$tree" remote add origin "$work/remote.git"
echo "repository: $(git -C "$tree" ls-files | wc -l) files"

jfr=""
[ "${JFR:-}" = 1 ] && jfr="-Dliberty.jvm.jfr=-XX:StartFlightRecording=filename=$work/server.jfr,settings=profile,dumponexit=true"
CONDUIT_BUNDLES="" \
CONDUIT_UPSTREAM_PRIVATE_NETWORK_ORGANIZATIONS=$(jq -r .id "$tree/organization.json") \
CONDUIT_SEALING_PRIVATE_KEY="$root/connections-repo/demo-keys/runtime-key.DEMO-ONLY.json" \
CONDUIT_GIT_ORGANIZATIONS=gen \
CONDUIT_GIT_GEN_URL="file://$work/remote.git" \
CONDUIT_GIT_POLL_SECONDS=3600 \
CONDUIT_GIT_WEBHOOK_SECRET=$HOOK_SECRET \
CONDUIT_GIT_WORK_DIR="$work/gitops" \
CONDUIT_CODE_PYTHON_WORKERS=0 \
HTTP_PORT=$PORT HTTPS_PORT=$HTTPS_PORT ./mvnw -q -B $M2 -pl runtime liberty:create liberty:deploy liberty:start -Dclean=true $jfr ${SERVER_JVM:-}
fi
org=$(jq -r .id "$tree/organization.json")
# the API renamed by each round's commit: another connection's, as a team's everyday change
renamed=$(find "$tree/connections" -path '*/apis/*.json' ! -path "$tree/connections/bench/*" | sort | head -n 1)
SERVER_PID=$(cat runtime/target/liberty/wlp/usr/servers/.pid/conduit.pid)
dropins=runtime/target/liberty/wlp/usr/servers/conduit/configDropins/overrides
base=http://127.0.0.1:$PORT
URL=$base/api/v1/connections/bench/apis/create-order/invoke
ALICE=alice:alice-demo-pw
served() { curl -s -u "$ALICE" "$base/api/v1/organizations/$org/gitops" | jq -r '.data.servedHere // empty' 2>/dev/null; }
compile_in() { curl -s -u "$ALICE" "$base/api/v1/organizations/$org/gitops" | jq -r '.data.compileIn // empty' 2>/dev/null; }
# where the next commit compiles: a server.xml variable in a configDropins file (read again by
# the server within seconds), confirmed on the admin endpoint
use_mode() {
  mkdir -p "$dropins"
  printf '<server>\n  <variable name="conduit.git.compile-in" value="%s"/>\n</server>\n' "$1" > "$dropins/bench-compile-in.xml"
  t=$(date +%s)
  until compile_in | grep -q "^$1"; do
    [ $(( $(date +%s) - t )) -gt 120 ] && { echo "bench: compileIn is not $1 after 120 s: $(compile_in)" >&2; exit 1; }
    sleep 1
  done
}
webhook() {
  curl -s -o /dev/null -w '%{http_code}' -X POST -H "X-Conduit-Token: $HOOK_SECRET" \
    -H 'Content-Type: application/json' -d '{"ref":"refs/heads/main"}' "$base/api/v1/gitops/webhook"
}
first=$(git -C "$tree" rev-parse HEAD)
t0=$(date +%s)
asked=$t0
until [ "$(served)" = "$first" ]; do
  [ $(( $(date +%s) - t0 )) -gt 1200 ] && { echo "bench: the first commit is not served after 1200 s" >&2; exit 1; }
  # the first fetch of 12,000 files can outlast JGit's 30 s timeout on a loaded machine, and the
  # next poll is an hour away: ask again every minute
  if [ $(( $(date +%s) - asked )) -ge 60 ]; then webhook >/dev/null || true; asked=$(date +%s); fi
  sleep 2
done
echo "first commit served $(( $(date +%s) - t0 )) s after the server started"
answer=$(curl -s -u bench-app-key:bench-app-secret -H 'Content-Type: application/json' \
  -d '{"customer":"Acme","items":[{"sku":"A-1","quantity":2}]}' "$URL")
case "$answer" in *ord-1*39.8*) ;; *) echo "bench: the invoke does not answer: $answer" >&2; exit 1 ;; esac

export BENCH_AUTH="Basic $(printf 'bench-app-key:bench-app-secret' | base64)" BENCH_DELAY_MS=$DELAY_MS BENCH_DIR=$root/bench/runtime
ticks() { awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$SERVER_PID/stat"; }
# the CPU of the server's children that ended (a compile worker once the server has waited for it)
child_ticks() { awk '{sub(/.*\) /, ""); print $14 + $15}' "/proc/$SERVER_PID/stat"; }
# CPU ticks and nice value of every thread of the server: "tid ticks nice name"
threads() {
  for t in /proc/"$SERVER_PID"/task/*; do
    s=$(cat "$t/stat" 2>/dev/null) || continue
    echo "${t##*/} $(echo "$s" | awk '{sub(/.*\) /, ""); print $12 + $13, $17}') $(cat "$t/comm" 2>/dev/null | tr ' ' '_')"
  done
}
# where a window's CPU went, by kind of thread (names without their numbers), with their nice
by_thread() { # before after
  awk 'NR == FNR {b[$1] = $2; next} {d = $2 - b[$1]; if (d > 0) {n = $4; gsub(/[-_#]?[0-9]+$/, "", n); k = n " (nice " $3 ")"; c[k] += d}}
    END {for (k in c) printf "%6d %s\n", c[k], k}' "$1" "$2" | sort -rn | head -n 12
}
paced() { wrk -t"$THREADS" -c"$CONNECTIONS" --latency -s bench/runtime/paced.lua "$@" "$URL"; }
p99() { awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; printf "%.2f", v}' "$1"; }
rps() { awk '/^Requests\/sec/ {printf "%d", $2}' "$1"; }
# warm-up: the JIT settles on the invoke path before anything is measured
for i in 1 2 3 4 5 6; do paced -d10s > "$work/warmup-$i.txt" 2>&1; echo "warm-up $i: $(rps "$work/warmup-$i.txt")/s, p99 $(p99 "$work/warmup-$i.txt") ms"; done

# one unmeasured push per mode: each mode is measured as a server that has run for a while finds
# it (a kept-warm compile worker started and warm), not at its first commit
for mode in $MODES; do
  use_mode "$mode"
  jq --arg n "Warm-up for $mode ($(date +%s))" '.name = $n' "$renamed" > "$work/api.json" && cp "$work/api.json" "$renamed"
  git -C "$tree" -c user.name=bench -c user.email=bench@example.invalid commit -q -am "warm-up: $mode"
  git -C "$tree" push -q origin main
  commit=$(git -C "$tree" rev-parse HEAD)
  webhook >/dev/null
  until [ "$(served)" = "$commit" ]; do sleep 0.5; done
  echo "warm-up push served ($mode)"
done

: > "$work/results"
nmodes=$(echo $MODES | wc -w)
for round in $(seq 1 $((RUNS * nmodes))); do
  mode=$(echo $MODES | cut -d' ' -f$(( (round - 1) % nmodes + 1 )))
  use_mode "$mode"
  c0=$(ticks)
  paced -d"$STEADY" > "$work/steady-$round.txt" 2>&1
  c1=$(ticks)
  steady_s=${STEADY%s}
  # the swap window: wrk runs, a commit is pushed and announced, wrk stops once it is served
  jq --arg n "Renamed in round $round ($(date +%s))" '.name = $n' "$renamed" > "$work/api.json" && cp "$work/api.json" "$renamed"
  git -C "$tree" -c user.name=bench -c user.email=bench@example.invalid commit -q -am "round $round: rename an API"
  git -C "$tree" push -q origin main
  commit=$(git -C "$tree" rev-parse HEAD)
  # wrk itself in the background (not through the function: $! would be a subshell, which as an
  # asynchronous list ignores SIGINT), so that SIGINT reaches it and it prints what it measured
  wrk -t"$THREADS" -c"$CONNECTIONS" --latency -s bench/runtime/paced.lua -d600s "$URL" > "$work/swap-$round.txt" 2>&1 &
  echo $! > "$work/wrk.pid"
  sleep 2
  c2=$(ticks)
  k2=$(child_ticks)
  threads > "$work/threads-$round-before.txt"
  w0=$(date +%s%N)
  code=$(webhook)
  [ "$code" = 202 ] || { echo "bench: the webhook answered $code" >&2; exit 1; }
  until [ "$(served)" = "$commit" ]; do sleep 0.1; done
  w1=$(date +%s%N)
  threads > "$work/threads-$round-after.txt"
  { echo "round $round, the swap window's CPU ticks (1/100 s) by thread:"; by_thread "$work/threads-$round-before.txt" "$work/threads-$round-after.txt"; } >> "$work/threads.txt"
  kill -INT "$(cat "$work/wrk.pid")"
  wait "$(cat "$work/wrk.pid")" || true
  rm -f "$work/wrk.pid"
  c3=$(ticks)
  k3=$(child_ticks)
  window_ms=$(( (w1 - w0) / 1000000 ))
  swap_s=$(awk -v ms="$window_ms" 'BEGIN { printf "%.1f", ms / 1000 + 2 }')
  load=$(cut -d' ' -f1 /proc/loadavg)
  echo "$round $(p99 "$work/steady-$round.txt") $(p99 "$work/swap-$round.txt") $window_ms $(rps "$work/steady-$round.txt") $(rps "$work/swap-$round.txt") $(awk -v c=$((c1 - c0)) -v s="$steady_s" 'BEGIN {printf "%.0f", c / s}') $(awk -v c=$((c3 - c2)) -v s="$swap_s" 'BEGIN {printf "%.0f", c / s}') $load $mode $((k3 - k2))" >> "$work/results"
  echo "round $round ($mode): steady p99 $(p99 "$work/steady-$round.txt") ms, swap p99 $(p99 "$work/swap-$round.txt") ms, push to served $window_ms ms, load $load"
  sleep 5
done

{
  echo
  echo "$SIZE x 10 APIs, wrk -t$THREADS -c$CONNECTIONS paced $DELAY_MS ms, steady $STEADY, $RUNS rounds of each of: $MODES (in turns), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD)"
  printf '%-6s %-8s %12s %12s %7s %14s %12s %12s %10s %10s %10s %6s\n' round mode "steady p99" "swap p99" ratio "webhook->served" "steady rps" "swap rps" "cpu% st" "cpu% swap" "worker s" load
  while read -r r a b w x y u v l m k; do
    printf '%-6s %-8s %9s ms %9s ms %7.2f %11s ms %12s %12s %10s %10s %10.1f %6s\n' "$r" "$m" "$a" "$b" "$(awk -v a="$a" -v b="$b" 'BEGIN {print b / a}')" "$w" "$x" "$y" "$u" "$v" "$(awk -v k="$k" 'BEGIN {print k / 100}')" "$l"
  done < "$work/results"
  for m in $MODES; do
    awk -v m="$m" '$10 == m' "$work/results" > "$work/results-$m"
    echo "$m:"
    sort -n -k2 "$work/results-$m" | awk '{a[NR]=$2} END {printf "  median steady p99 %s ms\n", a[int((NR+1)/2)]}'
    sort -n -k3 "$work/results-$m" | awk '{a[NR]=$3} END {printf "  median swap p99 %s ms\n", a[int((NR+1)/2)]}'
    awk '{print $3 / $2}' "$work/results-$m" | sort -n | awk '{a[NR]=$1} END {printf "  median ratio swap/steady %.2f (goal: at most 1.20)\n", a[int((NR+1)/2)]}'
    sort -n -k4 "$work/results-$m" | awk '{a[NR]=$4} END {printf "  median webhook to served %s ms\n", a[int((NR+1)/2)]}'
  done
  if [ "$nmodes" = 2 ]; then
    # pair i: the i-th round of each mode, run one after the other
    a=$(echo $MODES | cut -d' ' -f1) b=$(echo $MODES | cut -d' ' -f2)
    paste -d' ' "$work/results-$a" "$work/results-$b" |
      awk -v a="$a" -v b="$b" '{ra = $3 / $2; rb = $14 / $13; printf "pair %d: ratio %s %.2f, %s %.2f, %s/%s %.2f\n", NR, a, ra, b, rb, b, a, rb / ra}'
  fi
  cat "$work/threads.txt"
} | tee "$work/summary.txt"
