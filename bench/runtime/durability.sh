#!/bin/sh
# What durable commits cost on the embedded H2 (issue 18): DurabilityBench runs refresh-token
# rotations and request-log writes with H2's delayed commits (WRITE_DELAY 500 ms, logs queued
# without waiting: the runtime before) and with WRITE_DELAY=0 and callers waiting for their
# logs' group commit, and (request logs) with the journal the runtime now uses with embedded
# H2, in turns in one JVM. No server, no ports: safe beside other work,
# though its figures move with the machine's load (printed at the end).
# Usage: bench/runtime/durability.sh [rounds] [seconds per round and workload] [threads]  (5 3 32)
# Figures: docs/benchmarks.md ("Crash durability").
set -eu
cd "$(dirname "$0")/../.."
root=$(pwd)
mkdir -p target/bench
rm -rf target/bench/durability-db
./mvnw -q -B -pl runtime -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$root/target/bench/durability.classpath"
. .mvn/find-jdk.sh
"$JAVA_HOME/bin/java" -cp "runtime/target/test-classes:runtime/target/classes:$(cat target/bench/durability.classpath)" \
  dev.conduit.runtime.bench.DurabilityBench target/bench/durability-db "$@"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD)"
