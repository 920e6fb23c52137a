#!/bin/sh
# What code blocks add to a call, warm, per language, and what pinning Python workers to one
# organization + connection costs: memory per worker, a new connection's first call
# (docs/code-blocks.md and docs/benchmarks.md have the figures).
#   bench/code-blocks/run.sh [warmup-rounds] [measured-rounds] [cold-rounds]
set -eu
cd "$(dirname "$0")/../.."
./mvnw -q -B -pl bundle,codeblocks install -DskipTests
./mvnw -q -B -pl codeblocks exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=dev.conduit.code.bench.CodeBlocksBench -Dexec.args="${1:-2000} ${2:-5000}"
./mvnw -q -B -pl codeblocks exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=dev.conduit.code.bench.PythonTenantsBench -Dexec.args="${3:-5}"
