#!/bin/sh
# A code exchange's database work, in one JVM on a durable H2 file: ExchangeBench compares the
# code's use and the new tokens in two transactions (before) with IdentityStore.exchangeCode's one
# (now), in turns. No server, no ports: safe beside other work, though its figures move with the
# machine's load (printed at the end).
# Usage: bench/identity/exchange.sh [rounds] [seconds per round and way] [threads]  (5 3 32)
# Figures: docs/identity.md ("Speed").
set -eu
cd "$(dirname "$0")/../.."
root=$(pwd)
mkdir -p target/bench
rm -rf target/bench/exchange-db
./mvnw -q -B -pl runtime -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$root/target/bench/exchange.classpath"
. .mvn/find-jdk.sh
"$JAVA_HOME/bin/java" -cp "runtime/target/test-classes:runtime/target/classes:$(cat target/bench/exchange.classpath)" \
  dev.conduit.runtime.bench.ExchangeBench target/bench/exchange-db "$@"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD)"
