#!/bin/sh
# Push to served on two instances with the webhook (issue 14, goal: under 5 s): GitOpsBench runs
# two reconcilers in one JVM, each with its own registry, copy of the repository and once-a-second
# pass (as the server's GitOps thread), on one PostgreSQL schema (H2 when 127.0.0.1:5432 does not
# answer), following a real bare Git repository. Per round: push a commit, give instance A the
# webhook's immediate fetch, time until A and B serve it; the peer in the same run is compiling
# the same tree with the same compiler. Two pairs in turns, each on its own schema: B learning of
# the commit at its next pass, and B told at once (PeerSignal, PostgreSQL LISTEN/NOTIFY; on H2 both
# pairs poll). No server, no ports. Liberty and HTTP are left out:
# GitOpsIT runs the same path through two Liberty processes.
# Usage: [COMPILE_IN=worker|process|server] bench/runtime/gitops.sh [rounds]  (9; the default mode)
# Figures: docs/benchmarks.md ("GitOps").
set -eu
cd "$(dirname "$0")/../.."
root=$(pwd)
mkdir -p target/bench
rm -rf target/bench/gitops
./mvnw -q -B -pl runtime -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$root/target/bench/gitops.classpath"
. .mvn/find-jdk.sh
"$JAVA_HOME/bin/java" -cp "runtime/target/test-classes:runtime/target/classes:$(cat target/bench/gitops.classpath)" \
  dev.conduit.runtime.gitops.GitOpsBench target/bench/gitops "$@" 2>&1 | grep '^\[bench\]'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD)"
