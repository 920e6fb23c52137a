#!/usr/bin/env bash
# Runs the compiler's JMH benchmarks (bench/jmh-compiler, CompilerBenchmark) in-process and
# warm. Builds what is missing; passes every argument to JMH. Without arguments it runs the
# whole pipeline at 100 and 1,000 connections x 10 APIs (about 2 minutes on 2 cores):
#
#   bench/compiler/jmh.sh                                         # compile, 100 and 1000
#   bench/compiler/jmh.sh 'CompilerBenchmark.phase' -p connections=1000   # each phase
#   bench/compiler/jmh.sh 'CompilerBenchmark.compile$' -p code=engines,none -p connections=1000
#   bench/compiler/jmh.sh -h                                      # JMH's options
#
# Results: docs/benchmarks.md.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/.mvn/find-jdk.sh" >&2
bench="$root/bench/jmh-compiler/target"
if [ ! -f "$bench/conduit-bench-compiler.jar" ] || [ ! -d "$bench/lib" ]; then
  (cd "$root" && ./mvnw -q -B -pl bench/jmh-compiler -am package -DskipTests)
fi
# the engines' JDK 23+ warnings, in the forked benchmark JVM too (JDK 21 refuses the last
# flag); the fork gets a fixed 2 GB heap, so GC sizing does not move between runs
flags="--enable-native-access=ALL-UNNAMED -Dpolyglot.engine.WarnInterpreterOnly=false"
if [ "$(conduit_java_major "$JAVA_HOME/bin/java")" -ge 23 ]; then
  flags="$flags --sun-misc-unsafe-memory-access=allow"
fi
if [ $# -eq 0 ]; then
  set -- 'CompilerBenchmark.compile$' -p connections=100,1000
fi
# shellcheck disable=SC2086
exec "$JAVA_HOME/bin/java" $flags -cp "$bench/conduit-bench-compiler.jar:$bench/lib/*" \
  org.openjdk.jmh.Main -jvmArgsAppend "$flags -Xms2g -Xmx2g" "$@"
