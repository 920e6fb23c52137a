#!/bin/sh
# Who runs a request log's group commit: GroupCommitBench compares, on one durable H2 file in one
# JVM, every commit on the writer thread (the runtime before) with callers committing the queued
# logs themselves when no commit runs (now), in turns, at 1 and 32 calling threads by default.
# No server, no ports: safe beside other work, though its figures move with the machine's load
# (printed at the end).
# Usage: bench/runtime/group-commit.sh [rounds] [seconds per round] [threads...]  (5 3 1 32)
# Figures: docs/benchmarks.md ("Runtime", the request log's commit wait).
set -eu
cd "$(dirname "$0")/../.."
root=$(pwd)
mkdir -p target/bench
rm -rf target/bench/group-commit-db
./mvnw -q -B -pl runtime -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$root/target/bench/group-commit.classpath"
. .mvn/find-jdk.sh
"$JAVA_HOME/bin/java" -cp "runtime/target/test-classes:runtime/target/classes:$(cat target/bench/group-commit.classpath)" \
  dev.conduit.runtime.bench.GroupCommitBench target/bench/group-commit-db "$@"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD)"
