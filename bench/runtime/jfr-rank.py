#!/usr/bin/env python3
"""Ranks where a Flight Recorder recording of Conduit's server spends CPU, allocates and waits for
locks.

Usage: bench/runtime/jfr-rank.py RECORDING.jfr [TOP] [MARK ...]   (needs the JDK's jfr on PATH or
       JAVA_HOME); each MARK (a frame's name or its start, e.g. org.h2.mvstore.) is also counted:
       the share of samples whose stack holds it anywhere (parts that cut across the others, such
       as Liberty's monitoring probes)

For CPU (jdk.ExecutionSample) and allocation (jdk.ObjectAllocationSample, by its weight in bytes):
  - by part: each sample counted under the first of these parts its stack holds a frame of, in
    this order: the request log and H2, JSON (Jackson), the upstream client, the rest of Conduit,
    Liberty and RESTEasy, the JDK (so Jackson called by Liberty counts as JSON);
  - by Conduit step: each sample that runs under Conduit's code counted under the innermost
    dev.conduit method on its stack, the libraries it called included (what each step costs).
For locks (jdk.JavaMonitorEnter): the waits by the method that wanted the monitor, with their
count, median, longest and sum (the contended locks, e.g. Liberty's HTTP monitor's).
"""
import collections
import os
import re
import subprocess
import sys

PARTS = [
    ("request log + H2", ("dev.conduit.runtime.logs.", "org.h2.")),
    ("JSON (Jackson)", ("tools.jackson.", "com.fasterxml.")),
    ("upstream client", ("org.apache.hc.",)),
    ("Conduit, the rest", ("dev.conduit.",)),
    ("Liberty, RESTEasy", ("com.ibm.", "org.jboss.", "io.openliberty.", "jakarta.")),
]
FRAME = re.compile(r"^\s+([\w$.<>]+)\(")


def events(path, kind):
    jfr = os.path.join(os.environ.get("JAVA_HOME", ""), "bin", "jfr")
    jfr = jfr if os.path.exists(jfr) else "jfr"
    out = subprocess.run(
        [jfr, "print", "--events", kind, "--stack-depth", "96", path],
        capture_output=True, text=True, check=True).stdout
    for block in out.split("\n" + kind + " {")[1:]:
        weight = 1
        m = re.search(r"^\s+weight = ([\d.]+) (bytes|kB|MB|GB)", block, re.M)
        if m:
            weight = float(m.group(1)) * {"bytes": 1, "kB": 1024, "MB": 1 << 20, "GB": 1 << 30}[m.group(2)]
        # events with a duration (a blocked thread's wait) weigh their milliseconds
        d = re.search(r"^\s+duration = ([\d.]+) (ns|us|ms|s)$", block, re.M)
        if d:
            weight = float(d.group(1)) * {"ns": 1e-6, "us": 1e-3, "ms": 1, "s": 1000}[d.group(2)]
        frames = [f.group(1) for f in map(FRAME.match, block.split("\n")) if f]
        thread = re.search(r'sampledThread = "([^"]*)"', block) or re.search(r'eventThread = "([^"]*)"', block)
        yield weight, frames, thread.group(1) if thread else "?"


def rank(path, kind, unit, top, marks=()):
    parts, steps, threads = collections.Counter(), collections.Counter(), collections.Counter()
    marked = collections.Counter()
    total = 0
    for weight, frames, thread in events(path, kind):
        total += weight
        threads[re.sub(r"\d+", "N", thread)] += weight
        part = "JDK and the rest"
        for name, prefixes in PARTS:
            if any(f.startswith(prefixes) for f in frames):
                part = name
                break
        parts[part] += weight
        for mark in marks:
            if any(f.startswith(mark) for f in frames):
                marked[mark] += weight
        own = next((f for f in frames if f.startswith("dev.conduit.")), None)
        if own:
            steps[own] += weight
    if not total:
        print(f"{kind}: no events")
        return
    def show(title, counter, n):
        print(f"  {title}")
        for k, v in counter.most_common(n):
            print(f"    {100 * v / total:5.1f}%  {k}")
    print(f"{kind}: {total:,.0f} {unit}")
    show("by part (the first of the parts, in order, that the stack holds)", parts, 10)
    show("by thread", threads, 6)
    show("by Conduit step (innermost dev.conduit method, callees included)", steps, top)
    if marks:
        show("stacks holding each mark", marked, len(marks))
    print()


def locks(path, top):
    """Threads blocked entering a monitor (jdk.JavaMonitorEnter; the profile settings record waits
    of 10 ms or more), by the method that wanted it (the stack's top frame)."""
    waits = collections.defaultdict(list)
    for ms, frames, _ in events(path, "jdk.JavaMonitorEnter"):
        waits[frames[0] if frames else "?"].append(ms)
    print(f"jdk.JavaMonitorEnter: {sum(map(len, waits.values()))} waits")
    for method, ms in sorted(waits.items(), key=lambda kv: -len(kv[1]))[:top]:
        ms.sort()
        print(f"  {len(ms):5d} waits, median {ms[len(ms) // 2]:.0f} ms, longest {ms[-1]:.0f} ms, "
              f"{sum(ms) / 1000:.1f} s in all  {method}")
    print()


if __name__ == "__main__":
    recording = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    marks = tuple(sys.argv[3:])
    rank(recording, "jdk.ExecutionSample", "samples", top, marks)
    rank(recording, "jdk.ObjectAllocationSample", "bytes (sampled weight)", top, marks)
    locks(recording, top)
