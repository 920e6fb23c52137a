#!/bin/sh
# Installs n8n (package.json's pinned 1.x, which runs on Node 20) into bench/runtime/target/n8n
# on first use, imports the benchmark's two credentials and its workflow through n8n's CLI, then
# starts n8n in main mode on SQLite with execution saving off; returns once the webhook answers.
# Usage: bench/peers/n8n/setup.sh WORKDIR   (N8N_PORT=9304 UPSTREAM_PORT=9301); writes
# WORKDIR/n8n.pid and WORKDIR/n8n.log. Called by bench/runtime/run.sh.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
work=$1
N8N_PORT=${N8N_PORT:-9304}
UPSTREAM_PORT=${UPSTREAM_PORT:-9301}
target=$root/bench/runtime/target/n8n
mkdir -p "$target"
if [ ! -x "$target/node_modules/.bin/n8n" ] || ! cmp -s "$here/package.json" "$target/package.json"; then
  echo "installing n8n into $target (npm; several minutes, about 1 GB)"
  cp "$here/package.json" "$target/package.json"
  (cd "$target" && npm install --no-audit --no-fund --loglevel=error)
fi
n8n=$target/node_modules/.bin/n8n

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
export DB_SQLITE_POOL_SIZE=${DB_SQLITE_POOL_SIZE:-0}
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

"$n8n" start > "$work/n8n.log" 2>&1 &
echo $! > "$work/n8n.pid"
for i in $(seq 1 300); do
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
