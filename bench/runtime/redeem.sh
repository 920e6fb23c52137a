#!/bin/sh
# A code exchange's database step on the embedded H2 with durable commits (issue 16):
# RedeemBench redeems codes through JdbcIdentityStore, each redeem committing alone (the runtime
# before) and sharing commits through a GroupCommit (now), in turns in one JVM. No server, no
# ports: safe beside other work, though its figures move with the machine's load (printed at
# the end).
# Usage: bench/runtime/redeem.sh [rounds] [seconds per round and setting] [threads]  (5 3 32)
# Figures: docs/benchmarks.md ("Identity provider").
set -eu
cd "$(dirname "$0")/../.."
root=$(pwd)
mkdir -p target/bench
rm -rf target/bench/redeem-db
./mvnw -q -B -pl runtime -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$root/target/bench/redeem.classpath"
. .mvn/find-jdk.sh
"$JAVA_HOME/bin/java" -cp "runtime/target/test-classes:runtime/target/classes:$(cat target/bench/redeem.classpath)" \
  dev.conduit.runtime.bench.RedeemBench target/bench/redeem-db "$@"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD)"
