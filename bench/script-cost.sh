#!/usr/bin/env bash
# What ratequeue.lua costs Redis for one uncontended acquire, without a JVM in the way.
#
# Starts a redis-server of its own (persistence off), seeds the limits the way a coordinator's first call does
# (S + H), then has redis-benchmark (one connection) send the EVALSHA an uncontended acquire sends: one enqueue op,
# and with --concurrency also the release of the previous permit riding along (R then E), as RedisResourceLimiter
# sends them. Prints the reply of one call, then INFO commandstats per call: EVALSHA's usec_per_call is the
# script's Redis time, the others the commands it ran.
#
# --instructions runs the server under valgrind's callgrind instead and prints the instructions executed inside
# evalShaCommand per call: exact from run to run, where usec_per_call moves by 20% or more on a shared machine
# (about 5k instructions per microsecond on the two-core VM of BENCHMARKS.md). Slow: keep --calls small.
#
#   bench/script-cost.sh [--keys 6|7] [--concurrency] [--instructions] [--calls N] [--port P] [script.lua]
#
# --keys 7 is the key convention before the resource hash (cfg st q w l j qs), for scripts older than 0b0b6af,
# e.g.: git show 4129da5:coordination/src/main/resources/dev/ratequeue/coordination/redis/ratequeue.lua > old.lua
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
script=$here/../coordination/src/main/resources/dev/ratequeue/coordination/redis/ratequeue.lua
keys=6 concurrency= instructions= calls= port=7777
while [ $# -gt 0 ]; do
  case $1 in
    --keys) keys=$2; shift ;;
    --concurrency) concurrency=1 ;;
    --instructions) instructions=1 ;;
    --calls) calls=$2; shift ;;
    --port) port=$2; shift ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) script=$1 ;;
  esac
  shift
done
calls=${calls:-$([ -n "$instructions" ] && echo 2000 || echo 50000)}
work=$(mktemp -d)
trap 'redis-cli -p $port SHUTDOWN NOSAVE >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

if [ -n "$instructions" ]; then
  valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" --collect-atstart=no \
    --toggle-collect=evalShaCommand redis-server --port "$port" --save '' --appendonly no >"$work/server.log" 2>&1 &
  server=$!
else
  redis-server --port "$port" --save '' --appendonly no --daemonize yes --logfile "$work/server.log" >/dev/null
fi
cli="redis-cli -p $port"
for _ in $(seq 100); do $cli PING >/dev/null 2>&1 && break; sleep 0.2; done

sha=$($cli SCRIPT LOAD "$(cat "$script")")
if [ "$keys" = 7 ]; then
  k="rq:{x}:cfg rq:{x}:st rq:{x}:q rq:{x}:w rq:{x}:l rq:{x}:j rq:{x}:qs"
else
  k="rq:{x}:res rq:{x}:q rq:{x}:w rq:{x}:l rq:{x}:j rq:{x}:qs"
fi
# client id, lease ttl us, lookahead us, channel prefix, resource: CoordinatorOptions.defaults()
head="bench 15000000 50000 rq:client: x"
limits='rn=1000000000;rp=1000000;rb=0;mw=120000000;mh=600000000;pr=0;fp=local'
op="E bench.1 1 0"
if [ -n "$concurrency" ]; then
  limits='rn=1000000000;rp=1000000;rb=0;cc=1000000;mw=120000000;mh=600000000;pr=0;fp=local'
  op="R bench.1 - - E bench.1 1 0"
fi
# shellcheck disable=SC2086
$cli EVALSHA "$sha" "$keys" $k $head S '' "$limits" '' H h.1 '' '' >/dev/null
# shellcheck disable=SC2086
echo "reply: $($cli EVALSHA "$sha" "$keys" $k $head $op | tr '\n' ' ')"
$cli CONFIG RESETSTAT >/dev/null
# shellcheck disable=SC2086
redis-benchmark -p "$port" -n "$calls" -c 1 -q EVALSHA "$sha" "$keys" $k $head $op | tr '\r' '\n' | tail -1

if [ -n "$instructions" ]; then
  $cli SHUTDOWN NOSAVE >/dev/null 2>&1 || true
  wait "$server" || true
  total=$(grep -E '^(summary|totals):' "$work/callgrind.out" | head -1 | awk '{print $2}')
  # the seeding call and the one printed above ran inside evalShaCommand too
  echo "instructions per EVALSHA: $((total / (calls + 2)))"
else
  $cli INFO commandstats | grep '^cmdstat_' | grep -v -E 'cmdstat_(config|info|script|ping)' \
    | sed -e 's/^cmdstat_//' -e 's/,rejected_calls.*//' -e 's/usec=[0-9]*,//'
fi
