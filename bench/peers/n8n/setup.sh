#!/bin/sh
# Installs n8n (package.json's pinned 1.x, which runs on Node 20) into bench/runtime/target/n8n
# on first use, imports the benchmark's two credentials and its workflow through n8n's CLI, then
# starts n8n in main mode on SQLite with execution saving off; returns once the webhook answers.
# Usage: bench/peers/n8n/setup.sh WORKDIR   (N8N_PORT=9304 UPSTREAM_PORT=9301); writes
# WORKDIR/n8n.pid and WORKDIR/n8n.log. Called by bench/runtime/run.sh.
#   bench/peers/n8n/setup.sh --install-only   installs (or checks the install) and returns
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
target=$root/bench/runtime/target/n8n
n8n=$target/node_modules/.bin/n8n

# Install once per package.json; the stamp is written last, so an interrupted install is redone.
# npm runs no install scripts: they compile isolated-vm and sqlite3 from source (their prebuilt
# binaries come from GitHub, out of reach here), which took 49 minutes. Neither is needed as
# built: isolated-vm only serves N8N_EXPRESSION_ENGINE=vm (this peer runs "legacy", below), and
# sqlite3's binding is built alone, against the system's libsqlite3 (Debian: libsqlite3-dev),
# instead of compiling SQLite's amalgamation with it.
stamp=$target/.installed-package.json
if [ ! -x "$n8n" ] || ! cmp -s "$here/package.json" "$stamp" 2>/dev/null; then
  echo "installing n8n into $target (npm without install scripts, then sqlite3's binding; about 1 GB)"
  mkdir -p "$target"
  rm -f "$stamp"
  cp "$here/package.json" "$target/package.json"
  (cd "$target" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error)
  (cd "$target" && npm rebuild sqlite3 --build-from-source --sqlite=/usr --loglevel=error)
  cp "$here/package.json" "$stamp"
fi
[ "${1:-}" = "--install-only" ] && exit 0
work=$1
N8N_PORT=${N8N_PORT:-9304}
UPSTREAM_PORT=${UPSTREAM_PORT:-9301}

# a fresh n8n home per run: SQLite, no telemetry, nothing of a previous run
home=$work/n8n-home
rm -rf "$home" && mkdir -p "$home"
export N8N_USER_FOLDER="$home"
export N8N_PORT N8N_LISTEN_ADDRESS=127.0.0.1 N8N_HOST=127.0.0.1
export DB_TYPE=sqlite N8N_ENCRYPTION_KEY=bench-only-not-a-secret
export EXECUTIONS_MODE=regular
export EXECUTIONS_DATA_SAVE_ON_SUCCESS=none EXECUTIONS_DATA_SAVE_ON_ERROR=none
export EXECUTIONS_DATA_SAVE_ON_PROGRESS=false EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS=false
export N8N_DIAGNOSTICS_ENABLED=false N8N_VERSION_NOTIFICATIONS_ENABLED=false N8N_TEMPLATES_ENABLED=false
export N8N_PERSONALIZATION_ENABLED=false N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS=false
export N8N_LOG_LEVEL=${N8N_LOG_LEVEL:-warn} N8N_SECURE_COOKIE=false
# as n8n's own Docker image runs it (its Dockerfile sets NODE_ENV=production): what an operator
# deploying n8n for production traffic has; Express and other dependencies skip development checks
export NODE_ENV=${NODE_ENV:-production}
# SQLite as n8n's own SQLite benchmark setup runs it (packages/@n8n/benchmark, "sqlite"): the
# pooled driver (WAL, one writer, 3 readers). Pool size 0 is the legacy driver, one connection for
# every read and write, which n8n 2.x removed; in main mode each call still inserts its execution,
# marks it running and deletes it at the end (saving off), so every call writes three times
export DB_SQLITE_POOL_SIZE=${DB_SQLITE_POOL_SIZE:-3}
# expressions in the classic in-process evaluator: the late 1.123 patches default to "vm" (one
# isolated-vm isolate, N8N_EXPRESSION_ENGINE_POOL_SIZE=1), under which calls queued for the
# isolate and failed past its 5 s timeout ("There was a problem executing the workflow"; see
# docs/benchmarks.md); "legacy" is what n8n ran for years and what its published figures used
export N8N_EXPRESSION_ENGINE=${N8N_EXPRESSION_ENGINE:-legacy}

sed "s|UPSTREAM_PORT|$UPSTREAM_PORT|g" "$here/credentials.json" > "$work/n8n-credentials.json"
sed "s|UPSTREAM_PORT|$UPSTREAM_PORT|g" "$here/workflow.json" > "$work/n8n-workflow.json"
"$n8n" import:credentials --input="$work/n8n-credentials.json"
"$n8n" import:workflow --input="$work/n8n-workflow.json"
"$n8n" update:workflow --id=benchInvokeFlow1 --active=true

# N8N_NODE_OPTIONS: node flags for the server alone (profile.sh: --cpu-prof), not the CLI imports;
# given to node itself, since Node 20 refuses --cpu-prof in NODE_OPTIONS
# shellcheck disable=SC2086
node ${N8N_NODE_OPTIONS:-} "$(readlink -f "$n8n")" start > "$work/n8n.log" 2>&1 &
echo $! > "$work/n8n.pid"
for i in $(seq 1 300); do
  if ! kill -0 "$(cat "$work/n8n.pid")" 2>/dev/null; then
    echo "n8n ended at its start: see $work/n8n.log" >&2
    exit 1
  fi
  if curl -s -u bench-app-key:bench-app-secret -H 'Content-Type: application/json' \
      -d '{"customer":"Acme","items":[{"sku":"A-1","quantity":2}]}' \
      "http://127.0.0.1:$N8N_PORT/webhook/invoke" | grep -q ord-1; then
    echo "n8n answers after ${i}s"
    exit 0
  fi
  sleep 1
done
echo "n8n did not answer within 300 s: see $work/n8n.log" >&2
exit 1
