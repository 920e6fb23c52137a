#!/usr/bin/env bash
# The public library's two speed claims, each against a peer measured in the same run, runs
# alternating so machine load hits both alike:
#
# 1. `conduit library search TEXT` (reads library/index.json) against `conduit --version` (the
#    JVM start and CLI set-up alone) and against the same search over a copy of the library
#    without its index (every entry's library.json read).
# 2. `conduit validate` of a repository installing N public entries (installedFrom, all their
#    APIs enabled) against the same N entries written out by hand as custom connections.
#
#   bench/compiler/library.sh [--runs 7] [--entries 50]
#
# Prints the median wall and user-CPU seconds of each, and the ratios. Needs the compiler built
# (./mvnw -q -pl compiler -am package -DskipTests) and python3. Figures: docs/benchmarks.md.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
runs=7
entries=50
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --entries) entries=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
conduit="$root/compiler/bin/conduit"
work="$here/target/library"
rm -rf "$work" && mkdir -p "$work"

# the library without its index: every search reads each entry's newest library.json
mkdir -p "$work/no-index" && cp -r "$root/library/entries" "$work/no-index/"

# two repositories with the same N entries: installed, and written out by hand
python3 - "$root" "$work" "$entries" <<'PY'
import json, os, shutil, sys
root, work, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
lib = os.path.join(root, "library", "entries")
def newest(e):
    vs = sorted(os.listdir(os.path.join(lib, e)), key=lambda v: [int(x) for x in v.split(".")])
    return vs[-1]
picked = sorted(os.listdir(lib))[:n]
for kind in ("installed", "by-hand"):
    repo = os.path.join(work, kind)
    os.makedirs(os.path.join(repo, "connections"))
    for f in ("organization.json", "members.json"):
        shutil.copy(os.path.join(root, "connections-repo", f), repo)
    for e in picked:
        v = newest(e)
        src = os.path.join(lib, e, v)
        tpl = json.load(open(os.path.join(src, "connection.json")))
        apis = sorted(a[:-5] for a in os.listdir(os.path.join(src, "apis")))
        own = [dict({"name": p["name"]}, **({"hidden": True} if p.get("hidden") else {"value": "x"}))
               for p in tpl.get("parameters", [])]
        dst = os.path.join(repo, "connections", e)
        os.makedirs(dst)
        if kind == "installed":
            c = {"id": e, "name": tpl["name"], "installedFrom": {"entry": e, "version": v, "library": "public"},
                 "parameters": own, "enabledApis": apis}
        else:
            c = dict(tpl)
            c["$schema"] = "https://conduit.dev/schemas/v1/connection.schema.json"
            c["parameters"] = [dict(p, **o) for p, o in zip(tpl.get("parameters", []), own)]
            for p in c["parameters"]:
                p.pop("required", None)
            for sub in ("apis", "code"):
                if os.path.isdir(os.path.join(src, sub)):
                    shutil.copytree(os.path.join(src, sub), os.path.join(dst, sub))
            for a in os.listdir(os.path.join(dst, "apis")):
                p = os.path.join(dst, "apis", a)
                api = json.load(open(p))
                api["$schema"] = "https://conduit.dev/schemas/v1/api.schema.json"
                json.dump(api, open(p, "w"), indent=2)
            if not tpl.get("logo", "").startswith("https://"):
                shutil.copy(os.path.join(src, tpl["logo"]), dst)
        json.dump(c, open(os.path.join(dst, "connection.json"), "w"), indent=2)
PY
count() { find "$1" -type f | wc -l; }
echo "installed: $(count "$work/installed") files; by hand: $(count "$work/by-hand") files; $entries entries"

# one timed run: "wall user" seconds
timed() {
  /usr/bin/time -f "%e %U" -o "$work/t" "$@" >/dev/null 2>&1 || true
  tail -n 1 "$work/t"
}
runs_file="$work/runs.txt"
: > "$runs_file"
measure() { # label command...
  label=$1; shift
  echo "$label $(timed "$@")" >> "$runs_file"
}
timed "$conduit" --version >/dev/null # the class-data archive, made on the first run
for i in $(seq "$runs"); do
  measure version "$conduit" --version
  measure search "$conduit" library search wecom
  measure search-no-index "$conduit" library search wecom --library "$work/no-index"
  measure validate-installed "$conduit" validate "$work/installed"
  measure validate-by-hand "$conduit" validate "$work/by-hand"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $runs alternating runs each (raw: $runs_file); medians:"
python3 - "$runs_file" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    k, wall, user = line.split()
    runs.setdefault(k, []).append((float(wall), float(user)))
m = {k: (statistics.median(w for w, _ in v), statistics.median(u for _, u in v)) for k, v in runs.items()}
for k, (w, u) in m.items():
    print("  %-20s wall %6.2f s   user %6.2f s" % (k, w, u))
def ratio(label, a, b):
    print("%-32s wall %.2f   user %.2f" % (label, m[a][0] / m[b][0], m[a][1] / m[b][1]))
ratio("search / --version:", "search", "version")
ratio("search / search without index:", "search", "search-no-index")
ratio("installed / by hand:", "validate-installed", "validate-by-hand")
PY
