# Medians over the rounds of bench/runtime/run.sh's results (lines: round target requests/s p50
# p99 p50-1conn p99-1conn load cpu-per-call-us [errors]), and ratios taken per round, then their median.
function ms(v) { # wrk's latency text (123.45us, 1.23ms, 1.02s, 2.00m) in ms
  if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
  if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
  if (v ~ /m$/) return substr(v, 1, length(v) - 1) * 60000
  if (v ~ /s$/) return substr(v, 1, length(v) - 1) * 1000
  return v + 0
}
function median(list,    a, n, i, j, t) {
  n = split(list, a, " ")
  if (n == 0) return ""
  for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
  return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
{
  r = $1; t = $2
  if (!(t in seen)) { seen[t] = 1; order[++targets] = t }
  if (!(r in seenRound)) { seenRound[r] = 1; rounds[++nrounds] = r }
  rps[t] = rps[t] " " $3; p50[t] = p50[t] " " ms($4); p99[t] = p99[t] " " ms($5)
  l50[t] = l50[t] " " ms($6); l99[t] = l99[t] " " ms($7)
  R[r, t] = $3; L[r, t] = ms($6)
  if ($9 ~ /^[0-9]+$/) cpu[t] = cpu[t] " " $9
}
END {
  printf "medians over %d rounds\n", nrounds
  printf "%-8s %12s %10s %10s %14s %14s %16s %14s\n", "target", "requests/s", "p50 ms", "p99 ms", "p50 1conn ms", "p99 1conn ms", "added p50 1conn", "CPU/call us"
  for (i = 1; i <= targets; i++) {
    t = order[i]; added = ""
    for (k = 1; k <= nrounds; k++) if ((rounds[k], "direct") in L && (rounds[k], t) in L) added = added " " (L[rounds[k], t] - L[rounds[k], "direct"])
    printf "%-8s %12.0f %10.2f %10.2f %14.3f %14.3f %16s %14s\n", t, median(rps[t]), median(p50[t]), median(p99[t]), median(l50[t]), median(l99[t]), \
      (t == "direct" || added == "") ? "" : sprintf("%.3f ms", median(added)), median(cpu[t])
  }
  print ""
  n = split("conduit/forward conduit/gateway conduit/n8n conduit/nginx forward/nginx gateway/nginx", pairs, " ")
  for (i = 1; i <= n; i++) {
    split(pairs[i], ab, "/"); list = ""
    for (k = 1; k <= nrounds; k++) if ((rounds[k], ab[1]) in R && (rounds[k], ab[2]) in R && R[rounds[k], ab[2]] > 0) list = list " " sprintf("%.3f", R[rounds[k], ab[1]] / R[rounds[k], ab[2]])
    if (list != "") printf "throughput %-16s median %.2f   (per round:%s)\n", pairs[i], median(list), list
  }
}
