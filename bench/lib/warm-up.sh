# Sourced by the benchmarks: warm a server up until its throughput stops rising.
#
# A JVM server starts in the interpreter and C1; C2 compiles the hot paths on one thread that,
# under load, gets a 1/N share of the 2 cores beside N busy request threads. So a fresh server
# runs at a fraction of its speed for a minute or more (passport reads: 3,000/s for 20 s, then
# rising to 20,000/s after about 60 s). A fixed warm-up either wastes time or measures that
# climb; this one runs rounds for at least WARMUP_MIN seconds (default 60: the climb has flat
# stretches) and then until two rounds in a row are within WARMUP_TOLERANCE percent (default 5)
# or WARMUP_MAX seconds have gone (default 300), and prints every round so the climb is on record.
#
# warm_up LABEL URL [wrk options...]   (wrk -t$THREADS -c$CONNECTIONS, rounds of WARMUP_ROUND, 10s)
warm_up() {
  label=$1; url=$2; shift 2
  round=${WARMUP_ROUND:-10s}; min=${WARMUP_MIN:-60}; max=${WARMUP_MAX:-300}; tolerance=${WARMUP_TOLERANCE:-5}
  start=$(date +%s); previous=0; climb=""
  while :; do
    rps=$(wrk -t"${THREADS:-2}" -c"${CONNECTIONS:-32}" -d"$round" "$@" "$url" 2>/dev/null | awk '/^Requests\/sec/ {printf "%d", $2}')
    rps=${rps:-0}
    climb="$climb $rps"
    steady=$(awk -v a="$previous" -v b="$rps" -v t="$tolerance" 'BEGIN { d = b - a; if (d < 0) d = -d; print (a > 0 && 100 * d <= t * a) ? 1 : 0 }')
    elapsed=$(( $(date +%s) - start ))
    [ "$elapsed" -lt "$min" ] && steady=0
    if [ "$steady" = 1 ] || [ "$elapsed" -ge "$max" ]; then
      [ "$steady" = 1 ] && state="steady after ${elapsed}s" || state="NOT steady after ${elapsed}s (WARMUP_MAX)"
      echo "warm-up $label, requests/s per ${round} round:$climb ($state)"
      return 0
    fi
    previous=$rps
  done
}
