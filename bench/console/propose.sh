#!/bin/sh
# "Make the branch" on the 10,000-API generated organization (1,000 connections x 10 APIs):
# the edit of one API proposed over file:// as the console does it, before (check, then push:
# two passes, a fetch and a compile of both sides each) and after (proposeIfValid in one pass).
# Prints the medians of RUNS runs (after a warm-up). Run bench/console/run.sh once first (it
# builds the generator and the runtime's test classpath).
# Usage: bench/console/propose.sh   (RUNS=3 CONNECTIONS=1000 APIS=10)
# Figures: docs/benchmarks.md ("Console: Make the branch"). Note the load average.
set -eu
cd "$(dirname "$0")/../.."
root=$(pwd)
. .mvn/find-jdk.sh
RUNS=${RUNS:-3}
CONNECTIONS=${CONNECTIONS:-1000}
APIS=${APIS:-10}
work=$root/bench/console/target
repo="$work/org-${CONNECTIONS}x${APIS}"
flags=""
if "$JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow -version >/dev/null 2>&1; then
  flags="--sun-misc-unsafe-memory-access=allow"
fi
if [ ! -d "$repo" ]; then
  # shellcheck disable=SC2086
  "$JAVA_HOME/bin/java" $flags -cp "bench/jmh-compiler/target/conduit-bench-compiler.jar:bench/jmh-compiler/target/lib/*" \
    dev.conduit.bench.compiler.RepoGenerator --connections "$CONNECTIONS" --apis "$APIS" --force "$repo"
fi
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores" >&2
# shellcheck disable=SC2086
"$JAVA_HOME/bin/java" $flags -Xmx2g -cp "runtime/target/test-classes:runtime/target/classes:$(cat "$work/runtime.classpath")" \
  dev.conduit.runtime.console.changes.ProposalBench "$repo" "$RUNS"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
