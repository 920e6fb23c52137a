#!/usr/bin/env bash
# Compares two builds of the compiler on one repository, as whole processes, run in turns
# (A, B, A, B, ...) so that a burst of load on a shared machine hits both alike:
#
#   bench/compiler/compare.sh [--runs 7] [--verb validate|compile] A_CONDUIT B_CONDUIT DIR
#
# A_CONDUIT and B_CONDUIT are bin/conduit launchers of two builds; `--snapshot DEST` copies
# this tree's current build (launcher + jars) to DEST, so a build can be kept before a change:
#
#   bench/compiler/compare.sh --snapshot /tmp/before      # then change, rebuild, and:
#   bench/compiler/compare.sh /tmp/before/compiler/bin/conduit compiler/bin/conduit DIR
#
# Prints each side's median wall and CPU (user + system) time, and the medians of the
# per-pair ratios B/A (CPU time is the steadier of the two on a loaded machine).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
runs=7
verb=validate
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --verb) verb=$2; shift 2 ;;
    --snapshot)
      dest=$2
      rm -rf "$dest"
      mkdir -p "$dest/.mvn" "$dest/compiler/bin" "$dest/compiler/target"
      cp "$root/.mvn/find-jdk.sh" "$dest/.mvn/"
      cp "$root/compiler/bin/conduit" "$dest/compiler/bin/"
      cp -r "$root/compiler/target/conduit-compiler.jar" "$root/compiler/target/lib" "$dest/compiler/target/"
      echo "$dest/compiler/bin/conduit"
      exit 0 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) break ;;
  esac
done
if [ $# -ne 3 ]; then
  echo "usage: compare.sh [--runs N] [--verb validate|compile] A_CONDUIT B_CONDUIT DIR (try --help)" >&2
  exit 2
fi
a=$1 b=$2 dir=$3
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

once() { # $1 = launcher; prints "wall cpu" in seconds (cpu = user + system of the process)
  local TIMEFORMAT='%R %U %S' t
  if [ "$verb" = compile ]; then
    t=$( { time "$1" compile "$dir" -o "$out/bundle.json" > /dev/null 2>&1; } 2>&1 )
  else
    t=$( { time "$1" validate "$dir" > /dev/null 2>&1; } 2>&1 )
  fi
  echo "$t" | awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }'
}

once "$a" > /dev/null # warm-up: page cache, class-data archives
once "$b" > /dev/null
for i in $(seq "$runs"); do
  ta=$(once "$a")
  tb=$(once "$b")
  echo "$ta $tb"
  echo "pair $i: A ${ta% *} s (CPU ${ta#* } s), B ${tb% *} s (CPU ${tb#* } s)" >&2
done > "$out/pairs"   # wallA cpuA wallB cpuB

median() { sort -n | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { awk -v c="$1" '{ print $c }' "$out/pairs" | median; }
wall_ratio=$(awk '{ print $3 / $1 }' "$out/pairs" | median)
cpu_ratio=$(awk '{ print $4 / $2 }' "$out/pairs" | median)
echo "$verb $dir, $runs pairs, load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
printf 'A %s: median wall %.3f s, CPU %.3f s\n' "$a" "$(col 1)" "$(col 2)"
printf 'B %s: median wall %.3f s, CPU %.3f s\n' "$b" "$(col 3)" "$(col 4)"
printf 'median of the pair ratios B/A: wall %.3f, CPU %.3f\n' "$wall_ratio" "$cpu_ratio"
