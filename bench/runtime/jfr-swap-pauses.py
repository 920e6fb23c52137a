#!/usr/bin/env python3
"""Collector pauses and deoptimizations around each bundle swap in a Flight Recorder recording of
the server (bench/runtime/reconcile.sh with JFR=1), against the same-sized windows without a swap.

Usage: bench/runtime/jfr-swap-pauses.py RECORDING.jfr MESSAGES_LOG [WINDOW_S]   (needs the JDK's
       jfr on PATH or JAVA_HOME; MESSAGES_LOG is the server's logs/messages.log, whose "serving
       organization ... commit" lines mark each swap)

For each swap: the pauses (jdk.GCPhasePause) that started within WINDOW_S seconds (default 5)
before or after it, their count, sum and longest, and the deoptimizations in that span; then the
medians of the same over every span of that length in the recording with no swap in it.
"""
import datetime
import json
import os
import re
import statistics
import subprocess
import sys


def jfr_events(recording):
    jfr = "jfr"
    if os.environ.get("JAVA_HOME"):
        jfr = os.path.join(os.environ["JAVA_HOME"], "bin", "jfr")
    out = subprocess.run(
        [jfr, "print", "--json", "--events", "jdk.GCPhasePause,jdk.Deoptimization", recording],
        check=True, capture_output=True, text=True).stdout
    return json.loads(out)["recording"]["events"]


def seconds(iso_duration):
    # "PT0.0525S" (java.time.Duration's form)
    m = re.fullmatch(r"PT(?:(\d+)M)?([\d.]+)S", iso_duration)
    return (int(m.group(1) or 0) * 60 + float(m.group(2))) if m else 0.0


def instant(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def swaps(messages_log):
    # [12/3/26, 18:44:50:921 UTC] ... serving organization ... commit ...
    line = re.compile(r"^\[(\d+)/(\d+)/(\d+), (\d+):(\d+):(\d+):(\d+) UTC\].*serving organization .*commit")
    times = []
    with open(messages_log, errors="replace") as f:
        for text in f:
            m = line.match(text)
            if m:
                mo, d, y, h, mi, s, ms = (int(x) for x in m.groups())
                t = datetime.datetime(2000 + y, mo, d, h, mi, s, ms * 1000, tzinfo=datetime.timezone.utc)
                times.append(t.timestamp())
    return times


def span(pauses, deopts, start, end):
    inside = [d for t, d in pauses if start <= t < end]
    return (len(inside), sum(inside), max(inside, default=0.0),
            sum(1 for t in deopts if start <= t < end))


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    window = float(sys.argv[3]) if len(sys.argv) > 3 else 5.0
    pauses, deopts = [], []
    for e in jfr_events(sys.argv[1]):
        v = e["values"]
        t = instant(v["startTime"])
        if e["type"] == "jdk.GCPhasePause":
            pauses.append((t, seconds(v["duration"]) * 1000))
        else:
            deopts.append(t)
    marks = swaps(sys.argv[2])
    if not pauses or not marks:
        print("no pauses or no swaps found", file=sys.stderr)
        sys.exit(1)
    fmt = "{:<24} {:>7} {:>9} {:>9} {:>7}"
    print(f"pauses within {window:g} s of each swap (ms), and deoptimizations in that span")
    print(fmt.format("swap (UTC)", "pauses", "sum ms", "max ms", "deopts"))
    for m in marks:
        n, total, longest, d = span(pauses, deopts, m - window, m + window)
        when = datetime.datetime.fromtimestamp(m, datetime.timezone.utc).strftime("%H:%M:%S.%f")[:-3]
        print(fmt.format(when, n, f"{total:.0f}", f"{longest:.0f}", d))
    first, last = pauses[0][0], pauses[-1][0]
    quiet = []
    t = first
    while t + 2 * window <= last:
        if not any(t - window <= m < t + 3 * window for m in marks):
            quiet.append(span(pauses, deopts, t, t + 2 * window))
        t += 2 * window
    if quiet:
        print(fmt.format(f"no swap ({len(quiet)} spans), median",
                         statistics.median(q[0] for q in quiet),
                         f"{statistics.median(q[1] for q in quiet):.0f}",
                         f"{statistics.median(q[2] for q in quiet):.0f}",
                         statistics.median(q[3] for q in quiet)))


if __name__ == "__main__":
    main()
