# Sourced by the benchmarks: warm a server up until its throughput stops rising.
#
# A JVM server starts in the interpreter and C1; C2 compiles the hot paths on one thread that,
# under load, gets a 1/N share of the 2 cores beside N busy request threads. So a fresh server
# runs at a fraction of its speed for a minute or more (passport reads: 3,000/s for 20 s, then
# rising to 20,000/s after about 60 s). A fixed warm-up either wastes time or measures that
# climb. Throughput alone cannot tell: the climb has flat stretches (a bare endpoint sat at
# 3,000/s for 30 s before rising to 20,000/s). So for a JVM server (WARMUP_PID) this runs rounds
# until the JIT compiler threads used under WARMUP_JIT percent of a core in a round (default 3)
# and two rounds in a row are within WARMUP_TOLERANCE percent of each other (default 5); for
# others, at least WARMUP_MIN seconds (default 30) and the same tolerance. WARMUP_MAX seconds
# (default 300) bound it. Every round is printed, so the climb is on record.
#
# warm_up LABEL URL [wrk options...]   (wrk -t$THREADS -c$CONNECTIONS, rounds of WARMUP_ROUND, 10s)
warm_up() {
  label=$1; url=$2; shift 2
  round=${WARMUP_ROUND:-10s}; min=${WARMUP_MIN:-30}; max=${WARMUP_MAX:-300}; tolerance=${WARMUP_TOLERANCE:-5}
  jit_limit=${WARMUP_JIT:-3}; pid=${WARMUP_PID:-}
  start=$(date +%s); previous=0; climb=""
  while :; do
    jit_before=$(jit_ticks "$pid")
    rps=$(wrk -t"${THREADS:-2}" -c"${CONNECTIONS:-32}" -d"$round" "$@" "$url" 2>/dev/null | awk '/^Requests\/sec/ {printf "%d", $2}')
    rps=${rps:-0}
    climb="$climb $rps"
    steady=$(awk -v a="$previous" -v b="$rps" -v t="$tolerance" 'BEGIN { d = b - a; if (d < 0) d = -d; print (a > 0 && 100 * d <= t * a) ? 1 : 0 }')
    elapsed=$(( $(date +%s) - start ))
    if [ -n "$pid" ]; then
      # compiler CPU in this round, as a percentage of one core (ticks are 1/100 s)
      jit=$(( ($(jit_ticks "$pid") - jit_before) * 100 / (100 * ${round%s}) ))
      if [ "$jit" -lt 0 ]; then
        # a compiler thread ended in the round (the JVM stops idle ones) and took its ticks
        # with it: unknown, so not steady yet
        climb="$climb (jit ?)"; steady=0
      else
        climb="$climb (jit ${jit}%)"
        [ "$jit" -ge "$jit_limit" ] && steady=0
      fi
    elif [ "$elapsed" -lt "$min" ]; then
      steady=0
    fi
    if [ "$steady" = 1 ] || [ "$elapsed" -ge "$max" ]; then
      [ "$steady" = 1 ] && state="steady after ${elapsed}s" || state="NOT steady after ${elapsed}s (WARMUP_MAX)"
      echo "warm-up $label, requests/s per ${round} round:$climb ($state)"
      return 0
    fi
    previous=$rps
  done
}

# CPU ticks (user + system) of a JVM's compiler threads so far; 0 without a pid
jit_ticks() {
  [ -n "$1" ] || { echo 0; return; }
  total=0
  for task in /proc/"$1"/task/*; do
    case "$(cat "$task/comm" 2>/dev/null)" in
      C1\ Compiler*|C2\ Compiler*) total=$(( total + $(awk '{sub(/.*\) /, ""); print $12 + $13}' "$task/stat") )) ;;
    esac
  done
  echo "$total"
}
