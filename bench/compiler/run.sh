#!/usr/bin/env bash
# Times `conduit validate DIR` and `conduit compile DIR -o FILE` as whole processes (JVM start
# included) on generated organization repositories of several sizes, next to two baselines
# measured in the same run (a bare JVM start, and validating the 49-file example repository),
# and prints a table: median wall time, per-API cost, and how that cost grows with size.
#
#   bench/compiler/run.sh [--sizes "100 250 500 1000"] [--apis 10] [--runs 5] [--warmup 1]
#                         [--quiet-wait 120] [--ref REF] [--no-phases] [--no-save]
#
# By default it measures this working tree (built if stale), uncommitted changes included.
# --ref REF measures a commit instead: its tree is exported (git archive) into
# bench/compiler/target/ and built there, untouched by anyone's work in progress.
#
# Each round of timings waits (up to --quiet-wait seconds) for the machine to be quiet: CPU
# pressure below 25% over 10 s (/proc/pressure/cpu), or a 1-minute load average below the
# number of cores where pressure is not available.
#
# Needs a JDK 21+ and the Maven wrapper (it builds what is missing or stale); uses hyperfine
# when installed (Debian: apt-get install hyperfine), else a loop with `date +%s%N`.
# CONDUIT_JAVA_OPTS is passed on to bin/conduit, e.g. to try JVM flags.
# The figures and how to read them: docs/benchmarks.md.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
sizes="100 250 500 1000"
apis=10
runs=5
warmup=1
phases=1
save=1
quiet_wait=120
ref=""
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes=$2; shift 2 ;;
    --apis) apis=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --quiet-wait) quiet_wait=$2; shift 2 ;;
    --ref) ref=$2; shift 2 ;;
    --no-phases) phases=0; shift ;;
    --no-save) save=0; shift ;;
    -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done

. "$root/.mvn/find-jdk.sh" >&2
java="$JAVA_HOME/bin/java"
work="$here/target"
mkdir -p "$work"

# --- the build to measure: this tree (rebuilt when a source is newer than the jars), or a
#     commit exported and built on its own ---
if [ -n "$ref" ]; then
  sha=$(git -C "$root" rev-parse --short "$ref^{commit}") || { echo "run.sh: no commit $ref" >&2; exit 2; }
  build="$work/tree-$sha"
  if [ ! -f "$build/.built" ]; then
    echo "exporting and building $ref ($sha) in $build ..." >&2
    rm -rf "$build"
    mkdir -p "$build"
    git -C "$root" archive "$sha" | tar -x -C "$build"
    (cd "$build" && ./mvnw -q -B -pl bench/jmh-compiler -am package -DskipTests)
    touch "$build/.built"
  fi
  commit="$sha"
else
  build="$root"
  bench_jar="$root/bench/jmh-compiler/target/conduit-bench-compiler.jar"
  stale=0
  if [ ! -f "$bench_jar" ] || [ ! -f "$root/compiler/target/conduit-compiler.jar" ]; then
    stale=1
  elif [ -n "$(find "$root/compiler/src/main" "$root/bundle/src/main" "$root/codeblocks/src/main" \
      "$root/schemas" "$root/bench/jmh-compiler/src" "$root/bench/jmh-compiler/pom.xml" \
      -newer "$bench_jar" -type f 2>/dev/null | head -n 1)" ]; then
    stale=1
  fi
  if [ "$stale" = 1 ]; then
    echo "building the compiler and the benchmarks ..." >&2
    (cd "$root" && ./mvnw -q -B -pl bench/jmh-compiler -am package -DskipTests)
  fi
  commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')
  if [ -n "$(git -C "$root" status --porcelain -- compiler/src bundle/src codeblocks/src schemas 2>/dev/null)" ]; then
    commit="$commit + uncommitted changes in compiler/bundle/codeblocks/schemas"
  fi
fi

# --- a private copy of the launcher and the jars: others rebuild compiler/target in this tree,
#     and a jar rewritten in the middle of a run breaks it. bin/conduit finds its jars and
#     .mvn/find-jdk.sh relative to itself, so the copy runs as the original does. ---
snap="$work/snapshot"
rm -rf "$snap"
mkdir -p "$snap/.mvn" "$snap/compiler/bin" "$snap/compiler/target" "$snap/bench"
cp "$build/.mvn/find-jdk.sh" "$snap/.mvn/"
cp "$build/compiler/bin/conduit" "$snap/compiler/bin/"
cp -r "$build/compiler/target/conduit-compiler.jar" "$build/compiler/target/lib" "$snap/compiler/target/"
cp -r "$build/bench/jmh-compiler/target/conduit-bench-compiler.jar" "$build/bench/jmh-compiler/target/lib" \
  "$snap/bench/"
conduit="$snap/compiler/bin/conduit"
bench_jar="$snap/bench/conduit-bench-compiler.jar"

jvm_flags=""
if [ "$(conduit_java_major "$java")" -ge 23 ]; then
  jvm_flags="--sun-misc-unsafe-memory-access=allow"
fi
bench_cp="$bench_jar:$snap/bench/lib/*"

# --- generate the repositories, and check that each validates clean ---
declare -A api_count file_count
for n in $sizes; do
  dir="$work/org-${n}x${apis}"
  # shellcheck disable=SC2086
  "$java" $jvm_flags -cp "$bench_cp" dev.conduit.bench.compiler.RepoGenerator \
    --connections "$n" --apis "$apis" --force "$dir" 2> "$work/generate-$n.log" \
    || { cat "$work/generate-$n.log" >&2; exit 1; }
  sed 's/^/  /' "$work/generate-$n.log" >&2
  api_count[$n]=$((n * apis))
  if ! "$conduit" validate "$dir" > "$work/validate-$n.log" 2>&1; then
    echo "run.sh: the generated repository $dir does not validate clean:" >&2
    head -n 40 "$work/validate-$n.log" >&2
    exit 1
  fi
  file_count[$n]=$(sed -n 's/^ok: \([0-9]*\) files.*/\1/p' "$work/validate-$n.log")
done
"$conduit" validate "$build/connections-repo" > "$work/validate-example.log" 2>&1 \
  || { echo "run.sh: connections-repo does not validate" >&2; cat "$work/validate-example.log" >&2; exit 1; }
example_files=$(sed -n 's/^ok: \([0-9]*\) files.*/\1/p' "$work/validate-example.log")

# --- the commands, baselines first ---
names=("java -version" "validate example")
cmds=("$java -Xshare:auto -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -version"
      "$conduit validate $build/connections-repo")
for n in $sizes; do
  names+=("validate $n")
  cmds+=("$conduit validate $work/org-${n}x${apis}")
done
for n in $sizes; do
  names+=("compile $n")
  cmds+=("$conduit compile $work/org-${n}x${apis} -o $work/bundle-$n.json")
done

# Every command once per round, rounds repeated: on a shared machine a burst of someone else's
# load then spreads over all commands instead of spoiling one command's runs.
busy_rounds=0
wait_quiet() { # waits until the machine is quiet, at most $quiet_wait seconds
  local waited=0 busy
  while :; do
    if [ -r /proc/pressure/cpu ]; then
      busy=$(awk '/^some/ { split($2, a, "="); print (a[2] >= 25) }' /proc/pressure/cpu)
    else
      busy=$(awk -v cores="$(nproc)" '{ print ($1 >= cores) }' /proc/loadavg 2>/dev/null || echo 0)
    fi
    [ "$busy" = 1 ] || return 0
    if [ "$waited" -ge "$quiet_wait" ]; then
      busy_rounds=$((busy_rounds + 1))
      echo "  the machine stays busy: timing anyway" >&2
      return 0
    fi
    [ "$waited" = 0 ] && echo "  waiting for a quiet machine (up to ${quiet_wait} s) ..." >&2
    sleep 5
    waited=$((waited + 5))
  done
}

samples="$work/samples.csv"   # command,wall seconds,CPU seconds (user + system): one line per run
: > "$samples"
load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
if command -v hyperfine > /dev/null 2>&1; then
  tool="hyperfine $(hyperfine --version | cut -d' ' -f2), $runs rounds of every command once, after $warmup warm-up round(s)"
  args=()
  for i in "${!cmds[@]}"; do
    args+=(-n "${names[$i]}" "${cmds[$i]}")
  done
  for round in $(seq "$((warmup + runs))"); do
    echo "round $round of $((warmup + runs))$([ "$round" -le "$warmup" ] && echo ' (warm-up)') ..." >&2
    wait_quiet
    # -N: no intermediate shell
    hyperfine -N --style none --runs 1 --export-csv "$work/round.csv" "${args[@]}" > /dev/null
    if [ "$round" -gt "$warmup" ]; then
      awk -F, 'NR > 1 { print $1 "," $4 "," $5 + $6 }' "$work/round.csv" >> "$samples"
    fi
  done
else
  TIMEFORMAT='%R %U %S'
  tool="a shell loop (no hyperfine), $runs rounds of every command once, after $warmup warm-up round(s)"
  for round in $(seq "$((warmup + runs))"); do
    echo "round $round of $((warmup + runs))$([ "$round" -le "$warmup" ] && echo ' (warm-up)') ..." >&2
    wait_quiet
    for i in "${!cmds[@]}"; do
      # bash's time keyword: wall, and the CPU (user + system) of the command and its children
      t=$( { time ${cmds[$i]} > /dev/null 2>&1; } 2>&1 )
      if [ "$round" -gt "$warmup" ]; then
        echo "$t" | awk -v name="${names[$i]}" '{ printf "%s,%.6f,%.6f\n", name, $1, $2 + $3 }' >> "$samples"
      fi
    done
  done
fi
load_after=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")

# --- the table ---
median() { # $1 = command name, $2 = column (2 wall, 3 CPU): the median of its samples
  awk -F, -v name="$1" -v col="${2:-2}" '$1 == name { print $col }' "$samples" | sort -n \
    | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
spread() { # $1 = command name: "min-max"
  awk -F, -v name="$1" '$1 == name { print $2 }' "$samples" | sort -n \
    | awk 'NR == 1 { min = $1 } { max = $1 } END { printf "%.2f-%.2f", min, max }'
}
base_jvm=$(median "java -version")
base_example=$(median "validate example")
smallest=${sizes%% *}
largest=${sizes##* }
{
  echo "## Compiler: whole process, $(date -u +%Y-%m-%d)"
  echo
  cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ *//')
  ram=$(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)
  echo "- machine: $(nproc) cores (${cpu:-?}), ${ram:-?} RAM; load average ${load_before} before, ${load_after} after"
  echo "- JDK: $("$java" -version 2>&1 | sed -n 2p)"
  echo "- commit ${commit}; timed with ${tool}; CONDUIT_JAVA_OPTS='${CONDUIT_JAVA_OPTS:-}'"
  echo "- rounds started on a busy machine (after waiting ${quiet_wait} s for quiet): ${busy_rounds} of $((warmup + runs))"
  echo
  echo "| command | files | APIs | median wall (s) | range (s) | CPU, user + sys (s) | x java -version | per API (ms) | per API above the example (ms) |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '| java -version (JVM start) | | | %.3f | %s | %.3f | 1.0 | | |\n' "$base_jvm" "$(spread "java -version")" \
    "$(median "java -version" 3)"
  printf '| validate example (connections-repo) | %s | | %.3f | %s | %.3f | %.1f | | |\n' "$example_files" \
    "$base_example" "$(spread "validate example")" "$(median "validate example" 3)" \
    "$(awk -v a="$base_example" -v b="$base_jvm" 'BEGIN { print a / b }')"
  for verb in validate compile; do
    for n in $sizes; do
      t=$(median "$verb $n")
      awk -v verb="$verb" -v n="$n" -v files="${file_count[$n]}" -v apis="${api_count[$n]}" -v t="$t" \
        -v range="$(spread "$verb $n")" -v cpu="$(median "$verb $n" 3)" -v jvm="$base_jvm" \
        -v ex="$base_example" 'BEGIN {
          printf "| %s %d x '"$apis"' | %d | %d | %.3f | %s | %.3f | %.1f | %.3f | %.3f |\n",
            verb, n, files, apis, t, range, cpu, t / jvm, 1000 * t / apis, 1000 * (t - ex) / apis }'
    done
  done
  echo
  for verb in validate compile; do
    ts=$(median "$verb $smallest")
    tl=$(median "$verb $largest")
    awk -v verb="$verb" -v ts="$ts" -v tl="$tl" -v ex="$base_example" \
      -v as="${api_count[$smallest]}" -v al="${api_count[$largest]}" 'BEGIN {
        r = ((tl - ex) / al) / ((ts - ex) / as)
        printf "%s: per-API cost above the example at %d APIs / at %d APIs = %.2f (%s); ",
          verb, al, as, r, r < 1.25 ? "linear or better" : "grows faster than linear"
        printf "%d APIs take %.2f s, %s the 5 s goal\n", al, tl, tl < 5 ? "under" : "OVER"
      }'
  done
} > "$work/table.md"

if [ "$phases" = 1 ]; then
  {
    echo
    echo "Where the time goes in one process (PhaseTimes, the launcher's JVM flags, largest size),"
    echo "with the code blocks checked by the real engines as the CLI does, and not checked:"
    for code in engines none; do
      echo
      # shellcheck disable=SC2086
      "$java" $jvm_flags -XX:+UseSerialGC -XX:TieredStopAtLevel=1 --enable-native-access=ALL-UNNAMED \
        -Dpolyglot.engine.WarnInterpreterOnly=false ${CONDUIT_JAVA_OPTS:-} -cp "$bench_cp" \
        dev.conduit.bench.compiler.PhaseTimes "$work/org-${largest}x${apis}" --runs 3 --code "$code"
    done
  } >> "$work/table.md"
fi

cat "$work/table.md"
if [ "$save" = 1 ]; then
  mkdir -p "$here/results"
  out="$here/results/$(date -u +%Y-%m-%dT%H%MZ)-$(hostname -s 2>/dev/null || echo host).md"
  cp "$work/table.md" "$out"
  echo "saved $out" >&2
fi
