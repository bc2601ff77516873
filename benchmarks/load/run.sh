#!/usr/bin/env bash
# End-to-end load over loopback, bounded in time: /report/ and /whoami on Gatehouse's Netty adapter
# and servlet filter (Tomcat 11), each against a bare server of the same kind in the same run.
# Checks that every 204 the report endpoint answered is an event line written to the sink.
#   benchmarks/load/run.sh [duration, default 10s] [connections, default 64]
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-10s}
connections=${2:-64}
command -v wrk >/dev/null 2>&1 || { export DEBIAN_FRONTEND=noninteractive; apt-get update -q; apt-get install -y -q wrk; }
[ -f benchmarks/target/benchmarks.jar ] || mvn -B -q package -DskipTests
out=benchmarks/results/load-$(date -u +%Y-%m-%d).txt
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
{
  echo "# $(date -u +%FT%TZ) wrk -t2 -c$connections -d$duration, loopback, $(nproc) cores, $(java -version 2>&1 | head -n 1)"
  port=18700
  for kind in netty-bare netty-gatehouse tomcat-bare tomcat-gatehouse; do
    port=$((port + 1))
    events="$work/$kind.jsonl"
    java -cp benchmarks/target/benchmarks.jar io.gatehouse.benchmarks.load.LoadServers "$kind" "$port" "$events" 2> "$work/$kind.err" &
    pid=$!
    for _ in $(seq 1 100); do grep -q "listening on" "$work/$kind.err" 2>/dev/null && break; sleep 0.1; done
    # Warm up, then measure.
    wrk -t2 -c"$connections" -d3s -s benchmarks/load/report.lua "http://127.0.0.1:$port/report/?token=phc_load" > /dev/null
    sleep 1 # let the warm-up's last requests (up to one per connection) finish before counting
    warm=$( [ -f "$events" ] && wc -l < "$events" || echo 0)
    report=$(wrk -t2 -c"$connections" -d"$duration" --latency -s benchmarks/load/report.lua "http://127.0.0.1:$port/report/?token=phc_load")
    whoami=$(wrk -t2 -c"$connections" -d"$duration" --latency "http://127.0.0.1:$port/whoami")
    kill -TERM "$pid"; wait "$pid" || true
    written=$(( $( [ -f "$events" ] && wc -l < "$events" || echo 0) - warm ))
    req=$(echo "$report" | sed -n 's/^RESULT requests=\([0-9]*\) non2xx=\([0-9]*\) errors=\([0-9]*\)$/\1/p')
    non2xx=$(echo "$report" | sed -n 's/^RESULT requests=[0-9]* non2xx=\([0-9]*\).*$/\1/p')
    ok=$((req - non2xx))
    echo
    echo "## $kind /report/"
    echo "$report" | grep -E 'Requests/sec|Latency|50%|90%|99%|Socket errors|Non-2xx' || true
    echo "answered 2xx: $ok; events written: $written"
    echo "## $kind /whoami"
    echo "$whoami" | grep -E 'Requests/sec|Latency|50%|90%|99%|Socket errors|Non-2xx' || true
    # Every 2xx wrk counted must be an event written. wrk stops counting at the deadline with up to
    # one request per connection in flight, so up to $connections more events may be written.
    if [ "$kind" != "${kind%gatehouse}" ] && { [ "$written" -lt "$ok" ] || [ $((written - ok)) -gt "$connections" ]; }; then
      echo "EVENT COUNT MISMATCH: $ok answered 2xx, $written written"; exit 1
    fi
  done
} | tee "$out"
echo "written to $out"
