#!/bin/sh
# The request-log retention purge on a large table (RequestLogStore.purgeBefore): PurgeBench fills
# the embedded H2 and a schema of the local PostgreSQL with 1,000,000 logs of 20 organizations
# over 60 days, then times listing the organizations, the hourly purge and a 10-day backlog, the
# purge before and now in turns, while calls write their logs (their waits before and during).
# No server, no ports; PostgreSQL at 127.0.0.1:5432 (user postgres), a schema of its own, dropped
# at the end. Its figures move with the machine's load (printed at the end).
# Usage: bench/runtime/purge.sh [rows] [h2,pg]   (1000000 h2,pg)
# Figures: docs/benchmarks.md ("Request-log purge").
set -eu
cd "$(dirname "$0")/../.."
root=$(pwd)
mkdir -p target/bench
rm -rf target/bench/purge-db
./mvnw -q -B -pl runtime -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$root/target/bench/purge.classpath"
. .mvn/find-jdk.sh
"$JAVA_HOME/bin/java" -cp "runtime/target/test-classes:runtime/target/classes:$(cat target/bench/purge.classpath)" \
  dev.conduit.runtime.bench.PurgeBench target/bench/purge-db "$@"
rm -rf target/bench/purge-db
echo "$(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD)"
