#!/usr/bin/env bash
# Every benchmark of BENCHMARKS.md in its full mode, one after another, from one copy of the jars (a build elsewhere
# in the checkout must not change them mid-run), each harness's report kept in the output directory.
#
#   mvn -q install -DskipTests && bench/run-all.sh [output directory]      # about 20 minutes on 2 cores
#
# Each harness starts its own redis-server (the one on PATH, else the binary bundled in embedded-redis), records
# the machine and library versions, and reports the CPU other processes used while it measured: run it on a quiet
# machine, and read the "other CPU" columns before comparing two runs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-/tmp/ratequeue-bench-$(date -u +%Y%m%dT%H%M%S)}
mkdir -p "$out"
jar=$out/benchmarks.jar
cp "$here/target/benchmarks.jar" "$jar"
agent=$out/ratequeue-agent.jar
cp "$here/../agent/jar/target/ratequeue-agent.jar" "$agent"

run() {
  local name=$1
  shift
  echo "== $name $* ($(date -u +%H:%M:%S) UTC)"
  java -cp "$jar" "dev.ratequeue.bench.$name" "$@" 2>&1 | tee "$out/$name.txt"
}

run InterleavedLatency --out "$out/InterleavedLatency.md"
run LatencyRun --out "$out/LatencyRun.md"
run FleetThroughput --out "$out/FleetThroughput.md"
run OverloadRun --out "$out/OverloadRun.md"
run PriorityRun --out "$out/PriorityRun.md"
run AgentOverheadRun --agent "$agent"
run StartupTime --agent "$agent"
echo "== done ($(date -u +%H:%M:%S) UTC): $out"
