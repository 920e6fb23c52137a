#!/usr/bin/env bash
# Issue 16's compiler goals and issue 13's search goal, in one run, against a peer measured in
# the same rounds:
#
#   - `conduit validate` of the generated 10,000-API repository (1,000 x 10) at most 0.6 of the
#     wall time of ajv-cli 5 validating the same files against the same schemas
#     (bench/compiler/ajv-validate.sh: one process per file kind), peak memory under 250 MB;
#   - `conduit validate connections-repo` (what a pull request check runs) under 0.7 s wall;
#   - `conduit library search wecom` under 0.5 s wall (with JAVA_HOME set, and without: the
#     launcher then finds the JDK itself).
#
# The validations run with the code-check cache warm and off (CONDUIT_CACHE, a private cache
# under target/goals): a re-run on a developer's machine, and a first run or a CI runner that
# keeps no cache.
#
#   bench/compiler/goals.sh [--runs 3] [--warmup 1] [--connections 1000] [--apis 10] [--no-save]
#                           [--nice N]
#
# Every command once per round, in the same order, rounds repeated (a burst of someone else's
# load then spreads over all of them); the table gives medians of the rounds and, for the
# ratio to ajv-cli, the median of the per-round ratios. Wall, CPU (user + sys) and peak RSS come
# from GNU time (/usr/bin/time); a command's peak RSS is its largest process's. The load
# average at the start of every round is printed: on a machine loaded above its cores, wall
# times are the machine's, and CPU is the figure to compare. --nice -20 (root) runs every timed
# command, the peer's alike, ahead of the machine's other work: on a shared machine, the nearest
# to an idle one's wall times (the other work still takes a share, so they stay an upper bound).
#
# Needs a JDK 21+ (25 for the ahead-of-time cache), Node and npm (ajv-cli is installed into
# bench/compiler/ajv/node_modules with npm ci, never committed), GNU time.
# CONDUIT_JAVA_OPTS is passed on to bin/conduit. The figures: docs/benchmarks.md#compiler-goals.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
runs=3
warmup=1
connections=1000
apis=10
save=1
nice_level=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --apis) apis=$2; shift 2 ;;
    --no-save) save=0; shift ;;
    --nice) nice_level=$2; shift 2 ;;
    -h|--help) sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "goals.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done
[ -x /usr/bin/time ] || { echo "goals.sh: needs GNU time (apt-get install time)" >&2; exit 2; }

. "$root/.mvn/find-jdk.sh" >&2
java="$JAVA_HOME/bin/java"
work="$here/target/goals"
mkdir -p "$work"

# --- the build to measure, and a private copy of it (others' builds rewrite compiler/target) ---
if [ ! -f "$root/compiler/target/conduit-compiler.jar" ] \
    || [ ! -f "$root/bench/jmh-compiler/target/conduit-bench-compiler.jar" ]; then
  echo "building the compiler and the benchmarks ..." >&2
  (cd "$root" && ./mvnw -q -B -pl bench/jmh-compiler -am package -DskipTests)
fi
snap="$work/snapshot"
rm -rf "$snap"
mkdir -p "$snap/.mvn" "$snap/compiler/bin" "$snap/compiler/target"
cp "$root/.mvn/find-jdk.sh" "$snap/.mvn/"
cp "$root/compiler/bin/conduit" "$snap/compiler/bin/"
cp -r "$root/compiler/target/conduit-compiler.jar" "$root/compiler/target/lib" "$snap/compiler/target/"
ln -s "$root/library" "$snap/library"
# a copy, not a link: the launcher's training run validates it, and a link is not followed
cp -r "$root/connections-repo" "$snap/connections-repo"
conduit="$snap/compiler/bin/conduit"
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')
if [ -n "$(git -C "$root" status --porcelain -- compiler bundle codeblocks schemas 2>/dev/null)" ]; then
  commit="$commit + uncommitted changes"
fi

# --- the peer ---
if [ ! -x "$here/ajv/node_modules/.bin/ajv" ]; then
  echo "installing ajv-cli into $here/ajv/node_modules ..." >&2
  npm ci --prefix "$here/ajv" --no-audit --no-fund >&2
fi

# --- the repository: generated, then checked clean by both tools ---
repo="$work/org-${connections}x${apis}"
flags=()
[ "$(conduit_java_major "$java")" -ge 23 ] && flags+=(--sun-misc-unsafe-memory-access=allow)
"$java" "${flags[@]}" \
  -cp "$root/bench/jmh-compiler/target/conduit-bench-compiler.jar:$root/bench/jmh-compiler/target/lib/*" \
  dev.conduit.bench.compiler.RepoGenerator --connections "$connections" --apis "$apis" --force "$repo" >&2
export CONDUIT_CACHE="$work/code-cache" # warmed here (the timed runs say which they use)
rm -rf "$CONDUIT_CACHE"
"$conduit" validate "$repo" > "$work/check.log" 2>&1 \
  || { echo "goals.sh: conduit finds problems in $repo:" >&2; head -n 30 "$work/check.log" >&2; exit 1; }
"$here/ajv-validate.sh" "$repo" || { echo "goals.sh: ajv-cli finds $repo invalid" >&2; exit 1; }
"$conduit" validate "$root/connections-repo" > /dev/null 2>&1 \
  || { echo "goals.sh: connections-repo does not validate" >&2; exit 1; }
# the launcher's start-up caches (JDK 25) are made by the first run of each kind: before timing
"$conduit" library search wecom > /dev/null 2>&1 || { echo "goals.sh: library search fails" >&2; exit 1; }

# The code-check cache (CONDUIT_CACHE): a private one, warm (every code file of both repositories
# checked by the runs above), and off (every run starts the engines, as a first run or a CI
# runner without a kept cache does). The search with JAVA_HOME unset pays for finding the JDK.
cache="$work/code-cache"
warm="env CONDUIT_CACHE=$cache"
off="env CONDUIT_CACHE=off"
names=("java -version" "conduit --version" "library search" "library search (no JAVA_HOME)"
  "validate example (cache warm)" "validate example (cache off)"
  "validate 10k (cache warm)" "validate 10k (cache off)" "ajv-cli 10k")
cmds=("$java -Xshare:auto -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -version"
  "$conduit --version"
  "$conduit library search wecom"
  "env -u JAVA_HOME -u CONDUIT_JAVA_MAJOR $conduit library search wecom"
  "$warm $conduit validate $root/connections-repo"
  "$off $conduit validate $root/connections-repo"
  "$warm $conduit validate $repo"
  "$off $conduit validate $repo"
  "$here/ajv-validate.sh $repo")

prefix=()
[ -n "$nice_level" ] && prefix=(nice -n "$nice_level")
samples="$work/samples.csv" # command,round,wall,cpu,rss KB
: > "$samples"
loads=()
for round in $(seq "$((warmup + runs))"); do
  load=$(cut -d' ' -f1 /proc/loadavg)
  echo "round $round of $((warmup + runs))$([ "$round" -le "$warmup" ] && echo ' (warm-up)'), load average $load ..." >&2
  [ "$round" -gt "$warmup" ] && loads+=("$load")
  for i in "${!cmds[@]}"; do
    # shellcheck disable=SC2086
    "${prefix[@]}" /usr/bin/time -f '%e %U %S %M' -o "$work/time.txt" ${cmds[$i]} > /dev/null 2> "$work/stderr.txt" \
      || { echo "goals.sh: ${names[$i]} failed:" >&2; tail -n 20 "$work/stderr.txt" >&2; exit 1; }
    if [ "$round" -gt "$warmup" ]; then
      tail -n 1 "$work/time.txt" \
        | awk -v n="${names[$i]}" -v r="$round" '{ printf "%s,%d,%.3f,%.3f,%d\n", n, r, $1, $2 + $3, $4 }' >> "$samples"
    fi
  done
done

median() { # $1 = command name, $2 = column (3 wall, 4 CPU, 5 RSS KB)
  awk -F, -v n="$1" -v c="$2" '$1 == n { print $c }' "$samples" | sort -n \
    | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ratio() { # $1, $2 = command names, $3 = column: the median of the per-round ratios $1 / $2
  awk -F, -v a="$1" -v b="$2" -v c="$3" '$1 == a { x[$2] = $c } $1 == b { y[$2] = $c }
    END { for (r in x) print x[r] / y[r] }' "$samples" | sort -n \
    | awk '{ v[NR] = $1 } END { printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
verdict() { # $1 = value, $2 = limit: "met" when value < limit (or <= for ratios, same here)
  awk -v v="$1" -v l="$2" 'BEGIN { print (v <= l ? "**met**" : "not met") }'
}
{
  echo "## Compiler goals: conduit against ajv-cli, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ *//')
  echo "- machine: $(nproc) cores (${cpu:-?}); load average at the start of each measured round: ${loads[*]}"
  echo "- JDK: $("$java" -version 2>&1 | sed -n 2p); node $(node --version); ajv-cli 5.0.0, ajv-formats 2.1.1"
  echo "- commit ${commit}; CONDUIT_JAVA_OPTS='${CONDUIT_JAVA_OPTS:-}'; ${runs} rounds after ${warmup} warm-up round(s), medians; nice ${nice_level:-0}"
  echo "- repository: $(sed -n 's/^ok: \([0-9]*\) files.*/\1/p' "$work/check.log") files (${connections} x ${apis})"
  echo
  echo "| command | wall (s) | CPU, user + sys (s) | peak RSS (MB) |"
  echo "|---|---:|---:|---:|"
  for n in "${names[@]}"; do
    printf '| %s | %.2f | %.2f | %.0f |\n' "$n" "$(median "$n" 3)" "$(median "$n" 4)" "$(median "$n" 5 | awk '{ print $1 / 1024 }')"
  done
  echo
  echo "| goal | figure | |"
  echo "|---|---:|---|"
  for c in warm off; do
    w=$(ratio "validate 10k (cache $c)" "ajv-cli 10k" 3)
    u=$(ratio "validate 10k (cache $c)" "ajv-cli 10k" 4)
    echo "| validate 10k / ajv-cli, wall, at most 0.6 (cache $c) | $w (CPU $u) | $(verdict "$w" 0.6) |"
  done
  for c in warm off; do
    rss=$(median "validate 10k (cache $c)" 5 | awk '{ printf "%.0f", $1 / 1024 }')
    echo "| validate 10k peak RSS under 250 MB (cache $c) | $rss MB | $(verdict "$rss" 249.99) |"
  done
  for c in warm off; do
    ex=$(median "validate example (cache $c)" 3)
    echo "| validate example under 0.7 s wall (cache $c) | $ex s | $(verdict "$ex" 0.6999) |"
  done
  for n in "library search" "library search (no JAVA_HOME)"; do
    se=$(median "$n" 3)
    echo "| $n under 0.5 s wall | $se s | $(verdict "$se" 0.4999) |"
  done
  echo
  echo "Samples (command, round, wall s, CPU s, peak RSS KB):"
  echo
  echo '```'
  cat "$samples"
  echo '```'
} > "$work/table.md"
cat "$work/table.md"
if [ "$save" = 1 ]; then
  mkdir -p "$here/results"
  out="$here/results/goals-$(date -u +%Y-%m-%dT%H%MZ).md"
  cp "$work/table.md" "$out"
  echo "saved $out" >&2
fi
