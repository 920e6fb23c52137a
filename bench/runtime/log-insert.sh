#!/bin/sh
# What one request-log row costs the embedded H2 by rows per commit (issue 16):
# RequestLogInsertBench inserts the same rows (a bench/create-order call's log) in batches of
# each size on its own durable H2 file (WRITE_DELAY=0, as the runtime), the sizes in turns, and
# prints the inserting thread's CPU per row. No server, no ports: safe beside other work, though
# its figures move with the machine's load (printed at the end).
# Usage: bench/runtime/log-insert.sh [rounds] [rows per round] [batch sizes...]  (5 20000 1 10 50 100 500 2000)
# Figures: docs/benchmarks.md ("Runtime").
set -eu
cd "$(dirname "$0")/../.."
root=$(pwd)
mkdir -p target/bench
rm -rf target/bench/log-insert-db
./mvnw -q -B -pl runtime -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$root/target/bench/log-insert.classpath"
. .mvn/find-jdk.sh
"$JAVA_HOME/bin/java" -cp "runtime/target/test-classes:runtime/target/classes:$(cat target/bench/log-insert.classpath)" \
  dev.conduit.runtime.bench.RequestLogInsertBench target/bench/log-insert-db "$@"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD)"
