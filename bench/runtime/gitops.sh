#!/bin/sh
# Push to served on two runtime instances with the webhook (issue 14, goal: under 5 s):
# GitOpsPushBench starts two Liberty processes on one PostgreSQL schema following a bare Git
# repository, then per round pushes a commit, sends the signed webhook to instance A and times
# until A and B serve it; the peer in the same run is compiling the same tree in the bench JVM.
# Needs PostgreSQL on 127.0.0.1:5432 (trust auth, user postgres, database test).
# Ports: the test server's (IT_PORT, default 9180) + 5 and + 6, the upstream's (IT_UPSTREAM_PORT).
# Usage: bench/runtime/gitops.sh [rounds]  (7)
# Figures: docs/benchmarks.md ("GitOps").
set -eu
cd "$(dirname "$0")/../.."
./mvnw -B -pl runtime -am verify -Dit.test=GitOpsPushBench -Dtest=none \
  -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dit.http.port="${IT_PORT:-9180}" -Dit.upstream.port="${IT_UPSTREAM_PORT:-9181}" \
  -Dbench.rounds="${1:-7}" | grep -E '^\[bench\]|Tests run:|BUILD|ERROR'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD)"
