#!/usr/bin/env bash
# End-to-end load over loopback, bounded in time: /report/ and /whoami on Gatehouse's Netty adapter
# and servlet filter (Tomcat 11), each against a bare server of the same kind in the same run.
# Checks that every 204 the report endpoint answered is an event line written to the sink.
# Loopback throughput on a shared 2-core machine varies by up to 1.5x from run to run, so the four
# servers are measured in turn for several rounds and the summary gives each round's ratio and the
# median.
# Tomcat runs twice: on platform threads (the default JDK) and on virtual threads (tomcat-vt-*, on
# $JAVA_VT, default the Temurin 25 beside JDK 17, since virtual threads need JDK 21).
#   benchmarks/load/run.sh [duration, default 10s] [connections, default 64] [rounds, default 3]
# Environment: KINDS (the servers, default all six), JAVA_OPTS (extra server JVM options, e.g. to
# record a JFR profile), OUT (the output file).
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-10s}
connections=${2:-64}
rounds=${3:-3}
command -v wrk >/dev/null 2>&1 || { export DEBIAN_FRONTEND=noninteractive; apt-get update -q; apt-get install -y -q wrk; }
[ -f benchmarks/target/benchmarks.jar ] || mvn -B -q package -DskipTests
jar=${JAR:-benchmarks/target/benchmarks.jar}
out=${OUT:-benchmarks/results/load-$(date -u +%Y-%m-%d).txt}
kinds=${KINDS:-netty-bare netty-gatehouse tomcat-bare tomcat-gatehouse tomcat-vt-bare tomcat-vt-gatehouse}
java_vt=${JAVA_VT:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
{
  echo "# $(date -u +%FT%TZ) wrk -t2 -c$connections -d$duration, loopback, $(nproc) cores, $rounds rounds, $(java -version 2>&1 | head -n 1); tomcat-vt: $("$java_vt" -version 2>&1 | head -n 1); JAVA_OPTS=${JAVA_OPTS:-}"
  echo "# load before: $(uptime)"
  port=18700
  for round in $(seq 1 "$rounds"); do
  for kind in $kinds; do
    port=$((port + 1))
    # A fresh events file per round, removed after counting: a file grown by earlier rounds (about
    # 1 GB a round) would make later rounds pay for the page cache's writeback of the earlier ones.
    events="$work/$kind-$round.jsonl"
    java=java
    [ "$kind" = "${kind#tomcat-vt}" ] || java=$java_vt
    # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
    $java ${JAVA_OPTS:-} -cp "$jar" io.gatehouse.benchmarks.load.LoadServers "$kind" "$port" "$events" 2> "$work/$kind.err" &
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
    rm -f "$events"
    req=$(echo "$report" | sed -n 's/^RESULT requests=\([0-9]*\) non2xx=\([0-9]*\) errors=\([0-9]*\)$/\1/p')
    non2xx=$(echo "$report" | sed -n 's/^RESULT requests=[0-9]* non2xx=\([0-9]*\).*$/\1/p')
    ok=$((req - non2xx))
    echo "$round $kind report $(echo "$report" | sed -n 's/^Requests\/sec: *\([0-9.]*\)$/\1/p')" >> "$work/summary"
    echo "$round $kind whoami $(echo "$whoami" | sed -n 's/^Requests\/sec: *\([0-9.]*\)$/\1/p')" >> "$work/summary"
    echo
    echo "## round $round: $kind /report/"
    echo "$report" | grep -E 'Requests/sec|Latency|50%|90%|99%|Socket errors|Non-2xx' || true
    echo "answered 2xx: $ok; events written: $written"
    echo "## round $round: $kind /whoami"
    echo "$whoami" | grep -E 'Requests/sec|Latency|50%|90%|99%|Socket errors|Non-2xx' || true
    # Every 2xx wrk counted must be an event written. wrk stops counting at the deadline with up to
    # one request per connection in flight, so up to $connections more events may be written.
    if [ "$kind" != "${kind%gatehouse}" ] && { [ "$written" -lt "$ok" ] || [ $((written - ok)) -gt "$connections" ]; }; then
      echo "EVENT COUNT MISMATCH: $ok answered 2xx, $written written"; exit 1
    fi
  done
  done
  echo
  echo "## summary: Gatehouse req/s / bare req/s, per round, and the median of the rounds"
  for server in netty tomcat tomcat-vt; do
    grep -q " $server-gatehouse " "$work/summary" && grep -q " $server-bare " "$work/summary" || continue
    for path in report whoami; do
      ratios=$(for round in $(seq 1 "$rounds"); do
        g=$(awk -v r="$round" -v k="$server-gatehouse" -v p="$path" '$1 == r && $2 == k && $3 == p {print $4}' "$work/summary")
        b=$(awk -v r="$round" -v k="$server-bare" -v p="$path" '$1 == r && $2 == k && $3 == p {print $4}' "$work/summary")
        awk -v g="$g" -v b="$b" 'BEGIN {printf "%.2f\n", g / b}'
      done)
      median=$(echo "$ratios" | sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}')
      echo "$server /$path: $(echo $ratios) -> median $median"
    done
  done
  echo "# load after: $(uptime)"
} | tee "$out"
echo "written to $out"
