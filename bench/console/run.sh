#!/bin/sh
# Server time of every console page on a 10,000-API organization (the compiler bench's generated
# repository: 1,000 connections x 10 APIs) next to the same pages of the example organization
# (connections-repo), measured in the same run: connections list (first page, last page, a
# search), a connection's page, an API's page, request logs with 20,000 rows (newest page and
# chart, one connection's failures, page 100), a log's detail, alerts (2,000), and the edit forms.
# Each page is rendered as its resource method renders it, store queries included (H2 file
# database under target/); not included is the servlet container around it. Prints a markdown
# table: the median of RUNS runs of CALLS calls each (after a warm-up), min-max, the ratio to the
# example organization, the page's size.
# Usage: bench/console/run.sh [--skip-build]   (RUNS=7 CALLS=30 LOGS=20000 ALERTS=2000 CONNECTIONS=1000 APIS=10)
# Figures: docs/benchmarks.md ("Console pages"). The machine is shared: note the load average.
set -eu
cd "$(dirname "$0")/../.."
root=$(pwd)
. .mvn/find-jdk.sh
RUNS=${RUNS:-7}
CALLS=${CALLS:-30}
LOGS=${LOGS:-20000}
ALERTS=${ALERTS:-2000}
CONNECTIONS=${CONNECTIONS:-1000}
APIS=${APIS:-10}
work=$root/bench/console/target
mkdir -p "$work"
if [ "${1:-}" != "--skip-build" ]; then
  ./mvnw -q -B -pl bench/jmh-compiler -am package -DskipTests
  ./mvnw -q -B -pl runtime -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$work/runtime.classpath"
fi
flags=""
if "$JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow -version >/dev/null 2>&1; then
  flags="--sun-misc-unsafe-memory-access=allow"
fi
repo="$work/org-${CONNECTIONS}x${APIS}"
# shellcheck disable=SC2086
"$JAVA_HOME/bin/java" $flags -cp "bench/jmh-compiler/target/conduit-bench-compiler.jar:bench/jmh-compiler/target/lib/*" \
  dev.conduit.bench.compiler.RepoGenerator --connections "$CONNECTIONS" --apis "$APIS" --force "$repo"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores" >&2
# shellcheck disable=SC2086
"$JAVA_HOME/bin/java" $flags -Xmx1g -cp "runtime/target/test-classes:runtime/target/classes:$(cat "$work/runtime.classpath")" \
  dev.conduit.runtime.console.ConsolePagesBench "$repo" connections-repo "$work/db" \
  --runs "$RUNS" --calls "$CALLS" --logs "$LOGS" --alerts "$ALERTS" | tee "$work/results.md"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
