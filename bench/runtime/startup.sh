#!/bin/sh
# Start-up weight of the runtime: two builds of the server, started in turns (A, B, A, B, ...) so
# that a burst of load hits both alike, each from a clean workarea, serving ./run's two example
# bundles on an embedded H2 database. Per start: Liberty's own figure for the application
# ("CWWKZ0001I: Application conduit started in N seconds"), the server's ("CWWKF0011I: ... started
# in N seconds") and the wall time from `server start` to /health/ready answering 200. Then the
# medians and the median of the per-pair ratios B/A.
#
#   bench/runtime/startup.sh --snapshot DIR      keep this build's server as it is deployed now:
#                                                the packaged WAR, lib/, server.xml, jvm.options
#                                                (after ./mvnw -pl runtime ... package and
#                                                liberty:create liberty:deploy)
#   bench/runtime/startup.sh [RUNS] DIR_A DIR_B  RUNS starts of each (default 3)
#
# Uses the Liberty installation under runtime/target/liberty (servers startA and startB on PORT,
# default 9238, one at a time). Figures: docs/benchmarks.md ("Start-up").
set -eu
cd "$(dirname "$0")/../.."
root=$(pwd)
. .mvn/find-jdk.sh
wlp=$root/runtime/target/liberty/wlp
PORT=${PORT:-9238}

if [ "${1:-}" = "--snapshot" ]; then
  dir=$2
  server=$wlp/usr/servers/conduit
  rm -rf "$dir" && mkdir -p "$dir/apps"
  cp runtime/target/conduit.war "$dir/apps/"
  cp -r "$server/lib" "$dir/lib"
  cp server.xml "$server/jvm.options" "$dir/"
  echo "snapshot in $dir: WAR $(du -h "$dir/apps/conduit.war" | cut -f1), lib $(du -sh "$dir/lib" | cut -f1)"
  exit 0
fi
runs=3
if [ $# -eq 3 ]; then runs=$1; shift; fi
a=$1 b=$2
work=$root/bench/runtime/target/startup-$(date -u +%Y%m%dT%H%MZ)
mkdir -p "$work"
for repo in connections-repo examples/globex-repo; do
  compiler/bin/conduit compile "$repo" -o "$work/$(basename "$repo").bundle.json" >/dev/null
done

prepare() { # name snapshot
  s=$wlp/usr/servers/$1
  rm -rf "$s" && mkdir -p "$s"
  cp "$2/server.xml" "$2/jvm.options" "$s/"
  ln -s "$2/apps" "$s/apps"
  ln -s "$2/lib" "$s/lib"
  cat > "$s/server.env" <<EOF
HTTP_PORT=$PORT
CONDUIT_BUNDLES=$work/connections-repo.bundle.json,$work/globex-repo.bundle.json
CONDUIT_SEALING_PRIVATE_KEY=$root/connections-repo/demo-keys/runtime-key.DEMO-ONLY.json
CONDUIT_DEMO_ENABLED=true
EOF
}
stop() { "$wlp/bin/server" stop startA >/dev/null 2>&1 || true; "$wlp/bin/server" stop startB >/dev/null 2>&1 || true; }
trap stop EXIT
prepare startA "$(cd "$a" && pwd)"
prepare startB "$(cd "$b" && pwd)"

start() { # name -> "app server wall" seconds
  log=$wlp/usr/servers/$1/logs/messages.log
  rm -rf "$wlp/usr/servers/$1/logs"
  t0=$(date +%s%N)
  JAVA_HOME=$JAVA_HOME "$wlp/bin/server" start "$1" --clean >/dev/null 2>&1 || true
  until curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1; do
    [ $(( ($(date +%s%N) - t0) / 1000000000 )) -gt 900 ] && { echo "bench: $1 not ready after 900 s" >&2; exit 1; }
    sleep 0.2
  done
  t1=$(date +%s%N)
  app=$(sed -n 's/.*CWWKZ0001I: Application conduit started in \([0-9.]*\) seconds.*/\1/p' "$log" | head -n 1)
  srv=$(sed -n 's/.*CWWKF0011I: .* started in \([0-9.]*\) seconds.*/\1/p' "$log" | head -n 1)
  "$wlp/bin/server" stop "$1" >/dev/null 2>&1
  echo "$app $srv $(awk -v n=$((t1 - t0)) 'BEGIN { printf "%.1f", n / 1e9 }')"
}
: > "$work/results"
for i in $(seq 1 "$runs"); do
  for x in A B; do
    r=$(start "start$x")
    echo "$i $x $r $(cut -d' ' -f1 /proc/loadavg)" | tee -a "$work/results"
  done
done
{
  echo
  echo "A = $a, B = $b; $runs starts each in turns, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "run build app(s) server(s) ready(s) load"
  cat "$work/results"
  median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
  for x in A B; do
    echo "$x medians: application $(awk -v x=$x '$2 == x {print $3}' "$work/results" | median) s," \
      "server $(awk -v x=$x '$2 == x {print $4}' "$work/results" | median) s," \
      "ready $(awk -v x=$x '$2 == x {print $5}' "$work/results" | median) s"
  done
  echo "median pair ratio B/A: application" \
    "$(awk '$2 == "A" {a[$1]=$3} $2 == "B" {printf "%.2f\n", $3 / a[$1]}' "$work/results" | median)," \
    "ready $(awk '$2 == "A" {a[$1]=$5} $2 == "B" {printf "%.2f\n", $5 / a[$1]}' "$work/results" | median)"
} | tee "$work/summary.txt"
