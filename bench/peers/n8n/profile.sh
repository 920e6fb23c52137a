#!/bin/sh
# n8n alone against the runtime bench's upstream (nginx, bench/runtime/nginx.conf.template), for
# finding where n8n's CPU per call goes: starts the upstream and n8n (setup.sh), sends CALLS
# single calls, then wrk for each of ROUNDS rounds of DURATION at CONNECTIONS connections, and
# prints per round requests/s, p50, p99 and n8n's CPU per call (its /proc ticks over the round
# divided by the calls answered) and the upstream's token-endpoint hits. With PROFILE=1 n8n runs
# under `node --cpu-prof` (written when n8n stops, into WORKDIR/cpuprofile/; rank it with
# cpuprofile-rank.js). Any N8N_* / DB_* / NODE_* variable set by the caller reaches n8n.
# Usage: bench/peers/n8n/profile.sh [WORKDIR]   (N8N_PORT=9304 UPSTREAM_PORT=9301 PROXY_PORT=9302
#        CALLS=5 ROUNDS=3 DURATION=20s CONNECTIONS=4 PROFILE=0)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
work=${1:-$root/bench/runtime/target/n8n-profile-$(date -u +%Y%m%dT%H%M%SZ)}
N8N_PORT=${N8N_PORT:-9304}
UPSTREAM_PORT=${UPSTREAM_PORT:-9301}
PROXY_PORT=${PROXY_PORT:-9302}
CALLS=${CALLS:-5}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-4}
mkdir -p "$work/body" "$work/proxy" "$work/fastcgi" "$work/uwsgi" "$work/scgi"
stop() {
  [ -f "$work/n8n.pid" ] && kill "$(cat "$work/n8n.pid")" 2>/dev/null || true
  # n8n writes its CPU profile on a clean exit: give it the time its shutdown takes
  for _ in $(seq 1 60); do
    [ -f "$work/n8n.pid" ] && kill -0 "$(cat "$work/n8n.pid")" 2>/dev/null || break
    sleep 1
  done
  kill "$(cat "$work/nginx.pid" 2>/dev/null)" 2>/dev/null || true
}
trap stop EXIT
# the upstream counts its calls: an access log of the two paths
sed -e "s|WORKDIR|$work|g" -e "s|UPSTREAM_PORT|$UPSTREAM_PORT|g" -e "s|PROXY_PORT|$PROXY_PORT|g" \
  -e "s|access_log off;|log_format path '\$uri'; access_log $work/upstream.log path;|" \
  "$root/bench/runtime/nginx.conf.template" > "$work/nginx.conf"
nginx -c "$work/nginx.conf" -p "$work" &
if [ "${PROFILE:-0}" = 1 ]; then
  mkdir -p "$work/cpuprofile"
  export N8N_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=$work/cpuprofile"
fi
N8N_PORT=$N8N_PORT UPSTREAM_PORT=$UPSTREAM_PORT "$here/setup.sh" "$work"
pid=$(cat "$work/n8n.pid")
hits() { echo "token $(grep -c '^/oauth/token$' "$work/upstream.log") orders $(grep -c '^/orders$' "$work/upstream.log")"; }
ticks() { awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$pid/stat"; }
url=http://127.0.0.1:$N8N_PORT/webhook/invoke
echo "after setup: upstream calls: $(hits)"
for _ in $(seq 1 "$CALLS"); do
  curl -s -o /dev/null -w '%{http_code} %{time_total}s\n' -u bench-app-key:bench-app-secret \
    -H 'Content-Type: application/json' -d '{"customer":"Acme","items":[{"sku":"A-1","quantity":2}]}' "$url"
done
curl -s -u bench-app-key:bench-app-secret -H 'Content-Type: application/json' \
  -d '{"customer":"Acme","items":[{"sku":"A-1","quantity":2}]}' "$url"
echo
APP_AUTH="Basic $(printf 'bench-app-key:bench-app-secret' | base64)"
for round in $(seq 1 "$ROUNDS"); do
  before=$(ticks)
  BENCH_AUTH="$APP_AUTH" wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$root/bench/runtime/post.lua" "$url" > "$work/wrk-$round.txt"
  used=$(( $(ticks) - before ))
  awk -v t="$used" -v r="$round" -v ld="$(cut -d' ' -f1 /proc/loadavg)" '
    /requests in/ { n = $1 } /^Requests\/sec/ { rps = $2 } $1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 }
    /Non-2xx|Socket errors/ { err = err " " $0 }
    END { printf "round %s: %s requests/s, p50 %s, p99 %s, n8n CPU per call %.1f ms (%d calls), load %s%s\n", r, rps, p50, p99, n ? t * 10 / n : 0, n, ld, err }' \
    "$work/wrk-$round.txt"
done
echo "after load: upstream calls: $(hits); problems in n8n's log: $(grep -c -i 'problem' "$work/n8n.log" || true)"
