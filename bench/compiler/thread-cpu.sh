#!/usr/bin/env bash
# Runs a command and prints the CPU time (user + system) each of its threads used, summed by
# thread name, largest first: where a whole `conduit` process spends its CPU, JIT compiler and
# garbage collector included (a Java profiler sees only Java code).
#
#   bench/compiler/thread-cpu.sh compiler/bin/conduit validate bench/compiler/target/org-1000x10
#
# Linux only (reads /proc/PID/task/*/stat every 50 ms until the command exits; a thread that
# ends between two reads loses its last 50 ms).
set -euo pipefail
[ $# -gt 0 ] || { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
"$@" > /dev/null 2>&1 &
pid=$!
declare -A ticks
while kill -0 "$pid" 2> /dev/null; do
  for task in /proc/"$pid"/task/*; do
    stat=$(cat "$task/stat" 2> /dev/null) || continue
    name=${stat#*(}; name=${name%)*}
    fields=${stat##*) }
    # fields 14 and 15 of stat (utime, stime) are the 12th and 13th after the name
    ticks["${task##*/} $name"]=$(echo "$fields" | awk '{ print $12 + $13 }')
  done
  sleep 0.05
done
hz=$(getconf CLK_TCK)
for key in "${!ticks[@]}"; do
  echo "${ticks[$key]} ${key#* }"
done | awk -v hz="$hz" '{ t = $1; $1 = ""; sub(/^ /, ""); sub(/[0-9]+$/, "N"); sum[$0] += t; all += t }
  END { for (n in sum) if (sum[n] > 0) printf "%7.2f s  %s\n", sum[n] / hz, n; printf "%7.2f s  (all threads)\n", all / hz }' \
  | sort -rn
