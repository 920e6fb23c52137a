#!/bin/sh
# Where a commit of a 10,000-API repository spends its time in each place GitOps can compile it
# (issue 14: push to served took 23.5 s with the kept-warm worker against 6.7 s in the server):
# WorkerCompileBench times CommitCompiler.compile on the same commits for each variant in turns,
# on a thread niced as GitOps' own, and prints the worker's own account of each commit (compile,
# writing the bundle, its collection, the server's read) and its resident memory. No server, no
# ports, no database: the swap and the invokes around it are reconcile.sh's.
# Usage: [VARIANTS="worker:512 server"] [SIZE=1000] bench/runtime/worker-compile.sh [rounds]  (3)
#   a variant: server, process, or worker:HEAP_MB (a kept-warm worker with that -Xmx)
# Figures: docs/benchmarks.md ("GitOps"). Raw output: bench/runtime/target/worker-compile-<time>/.
set -eu
cd "$(dirname "$0")/../.."
root=$(pwd)
SIZE=${SIZE:-1000}
work=$root/bench/runtime/target/worker-compile-$(date -u +%Y%m%dT%H%MZ)
mkdir -p "$work"
./mvnw -q -B -pl runtime,bench/jmh-compiler -am package -DskipTests
./mvnw -q -B -pl runtime -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$work/classpath"
. .mvn/find-jdk.sh
"$JAVA_HOME/bin/java" -cp "bench/jmh-compiler/target/conduit-bench-compiler.jar:bench/jmh-compiler/target/lib/*" \
  dev.conduit.bench.compiler.RepoGenerator --connections "$SIZE" --apis 10 "$work/tree" | tail -n 1
echo "repository: $(find "$work/tree" -type f | wc -l) files; variants: ${VARIANTS:-worker:512 server}"
"$JAVA_HOME/bin/java" -cp "runtime/target/test-classes:runtime/target/classes:$(cat "$work/classpath")" \
  dev.conduit.runtime.gitops.WorkerCompileBench "$work/run" "$work/tree" "$@" 2>&1 \
  | grep '^\[bench\]' | sed "s|$root/||g" | tee "$work/results"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD)" | tee -a "$work/results"
