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
# Prints each side's median wall time and the median of the per-pair ratios B/A.
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

once() { # $1 = launcher; prints the wall time in seconds
  local start end
  start=$(date +%s%N)
  if [ "$verb" = compile ]; then
    "$1" compile "$dir" -o "$out/bundle.json" > /dev/null 2>&1
  else
    "$1" validate "$dir" > /dev/null 2>&1
  fi
  end=$(date +%s%N)
  awk -v ns=$((end - start)) 'BEGIN { printf "%.3f\n", ns / 1e9 }'
}

once "$a" > /dev/null # warm-up: page cache, class-data archives
once "$b" > /dev/null
for i in $(seq "$runs"); do
  ta=$(once "$a")
  tb=$(once "$b")
  echo "$ta $tb"
  echo "pair $i: A $ta s, B $tb s" >&2
done > "$out/pairs"

median() { sort -n | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ma=$(cut -d' ' -f1 "$out/pairs" | median)
mb=$(cut -d' ' -f2 "$out/pairs" | median)
mr=$(awk '{ print $2 / $1 }' "$out/pairs" | median)
echo "$verb $dir, $runs pairs, load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
printf 'A %s: median %.3f s\nB %s: median %.3f s\nmedian of the pair ratios B/A: %.3f\n' "$a" "$ma" "$b" "$mb" "$mr"
