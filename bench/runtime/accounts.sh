#!/bin/sh
# What an authorization-code account adds to an invoke over client credentials (issue 12):
# AccountsBench sends the same GET to the same local upstream with a client-credentials token
# (TokenManager's cache), with an account's token through the runtime's call path (consent
# check + token from AccountCache), and through the same path without the cache (rows read from
# H2 and decrypted per call), in turns in one JVM, tokens from a real local OAuth 2.0 server;
# then the consent check + token step alone, in nanoseconds per call.
# Ports: ephemeral, on 127.0.0.1 only. Figures move with the machine's load (printed at the end).
# Usage: bench/runtime/accounts.sh [rounds] [seconds per round and kind] [threads]  (5 3 8)
# Figures: docs/benchmarks.md ("Accounts"), docs/accounts.md.
set -eu
cd "$(dirname "$0")/../.."
root=$(pwd)
mkdir -p target/bench
rm -rf target/bench/accounts-db
./mvnw -q -B -pl runtime -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$root/target/bench/accounts.classpath"
. .mvn/find-jdk.sh
"$JAVA_HOME/bin/java" -cp "runtime/target/test-classes:runtime/target/classes:$(cat target/bench/accounts.classpath)" \
  dev.conduit.runtime.bench.AccountsBench target/bench/accounts-db "$@"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD)"
