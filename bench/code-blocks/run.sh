#!/bin/sh
# What code blocks add to a call, warm, per language (docs/code-blocks.md has the figures).
#   bench/code-blocks/run.sh [warmup-rounds] [measured-rounds]
set -eu
cd "$(dirname "$0")/../.."
./mvnw -q -B -pl bundle,codeblocks install -DskipTests
./mvnw -q -B -pl codeblocks exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=dev.conduit.code.bench.CodeBlocksBench -Dexec.args="${1:-2000} ${2:-5000}"
