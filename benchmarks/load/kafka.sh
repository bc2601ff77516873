#!/usr/bin/env bash
# One demo instance writing CSP events into a local single-node Kafka broker (KRaft, Kafka's own
# 4.x artifacts, full JIT), loaded with wrk over loopback, in the same run as the same demo writing
# JSON lines to a file. Checks that every report answered 204 is a record in the topic. Then the
# sink alone into the same broker, without HTTP (KafkaSinkThroughput).
# The broker, the demo and wrk share the machine's cores (2 here): this measures one instance
# with its broker beside it, not a production cluster.
#   benchmarks/load/kafka.sh [duration, default 10s] [connections, default 64] [rounds, default 3]
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-10s}
connections=${2:-64}
rounds=${3:-3}
command -v wrk >/dev/null 2>&1 || { export DEBIAN_FRONTEND=noninteractive; apt-get update -q; apt-get install -y -q wrk; }
[ -f examples/target/gatehouse-demo.jar ] && [ -f sink-kafka/target/test-classes/io/gatehouse/kafka/KafkaSinkThroughput.class ] \
  || mvn -B -q -pl sink-kafka,examples -am package -DskipTests
work=$(mktemp -d)
mvn -B -q -pl sink-kafka -am compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$work/cp" > /dev/null
cp="sink-kafka/target/test-classes:sink-kafka/target/classes:$(cat "$work/cp")"
out=benchmarks/results/kafka-$(date -u +%Y-%m-%d).txt
broker=
cleanup() { [ -n "$broker" ] && kill "$broker" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
port=19092
cat > "$work/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:19093
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:19093
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$work/logs
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
PROPS
java -Xmx1g -cp "$cp" io.gatehouse.kafka.KafkaBrokerMain "$work/server.properties" R2F0ZWhvdXNlTG9hZDAwMQ > "$work/broker.out" 2>&1 &
broker=$!
for _ in $(seq 1 600); do grep -q "gatehouse-test-broker started" "$work/broker.out" && break; sleep 0.1; done
grep -q "gatehouse-test-broker started" "$work/broker.out" || { tail -20 "$work/broker.out"; exit 1; }
{
  echo "# command: benchmarks/load/kafka.sh $duration $connections $rounds"
  echo "# $(date -u +%FT%TZ) wrk -t2 -c$connections -d$duration, loopback, $(nproc) cores, $rounds rounds, $(java -version 2>&1 | head -n 1)"
  echo "# load before the run: $(cut -d" " -f1-3 /proc/loadavg) (the machine is shared)"
  echo "# Kafka $(basename "$(tr ':' '\n' < "$work/cp" | grep '/kafka-clients-')" .jar), single-node KRaft broker on this machine, topic with 3 partitions, the sink's default producer settings"
  dport=18800
  for round in $(seq 1 "$rounds"); do
  for kind in kafka file; do
    dport=$((dport + 1))
    topic="load-$round"
    events="$work/events-$round.jsonl"
    if [ "$kind" = kafka ]; then
      java -cp "$cp" io.gatehouse.kafka.KafkaTool create "127.0.0.1:$port" "$topic" 3 2> /dev/null
      env -i PATH="$PATH" DEBUG=1 PORT=$dport GATEHOUSE_KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$port" GATEHOUSE_KAFKA_TOPIC="$topic" \
        java -jar examples/target/gatehouse-demo.jar 2> "$work/demo.err" > /dev/null &
    else
      env -i PATH="$PATH" DEBUG=1 PORT=$dport GATEHOUSE_CSP_EVENTS_FILE="$events" \
        java -jar examples/target/gatehouse-demo.jar 2> "$work/demo.err" > /dev/null &
    fi
    pid=$!
    for _ in $(seq 1 100); do grep -q "listening on" "$work/demo.err" 2>/dev/null && break; sleep 0.1; done
    count() { if [ "$kind" = kafka ]; then java -cp "$cp" io.gatehouse.kafka.KafkaTool count "127.0.0.1:$port" "$topic" 2> /dev/null; else [ -f "$events" ] && wc -l < "$events" || echo 0; fi; }
    wrk -t2 -c"$connections" -d3s -s benchmarks/load/report.lua "http://127.0.0.1:$dport/report/?token=phc_load" > /dev/null
    sleep 1 # let the warm-up's last requests finish and be delivered before counting
    warm=$(count)
    report=$(wrk -t2 -c"$connections" -d"$duration" --latency -s benchmarks/load/report.lua "http://127.0.0.1:$dport/report/?token=phc_load")
    kill -TERM "$pid"; wait "$pid" || true
    written=$(( $(count) - warm ))
    req=$(echo "$report" | sed -n 's/^RESULT requests=\([0-9]*\) non2xx=.*$/\1/p')
    non2xx=$(echo "$report" | sed -n 's/^RESULT requests=[0-9]* non2xx=\([0-9]*\).*$/\1/p')
    ok=$((req - non2xx))
    rps=$(echo "$report" | sed -n 's/^Requests\/sec: *\([0-9.]*\)$/\1/p')
    echo "$round $kind $rps" >> "$work/summary"
    echo
    echo "## round $round: demo -> $kind, /report/ (one event per request)"
    echo "$report" | grep -E 'Requests/sec|Latency|50%|90%|99%|Socket errors|Non-2xx' || true
    echo "answered 204: $ok; refused (non-2xx): $non2xx; events written: $written"
    grep -o "events_accepted=[0-9]*\|events_delivered=[0-9]*\|delivery_failures=[0-9]*\|delivery_retries=[0-9]*" "$work/demo.err" | tr '\n' ' '; echo
    if [ "$written" -lt "$ok" ] || [ $((written - ok)) -gt "$connections" ]; then
      echo "EVENT COUNT MISMATCH: $ok answered 204, $written written"; exit 1
    fi
    rm -f "$events"
  done
  done
  echo
  echo "## summary: events/s (= requests answered 204 per second) per round, and the median"
  for kind in kafka file; do
    vals=$(awk -v k="$kind" '$2 == k {print $3}' "$work/summary")
    median=$(echo "$vals" | sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}')
    echo "demo -> $kind: $(echo $vals) -> median $median"
  done
  ratios=$(for round in $(seq 1 "$rounds"); do
    k=$(awk -v r="$round" '$1 == r && $2 == "kafka" {print $3}' "$work/summary")
    f=$(awk -v r="$round" '$1 == r && $2 == "file" {print $3}' "$work/summary")
    awk -v k="$k" -v f="$f" 'BEGIN {printf "%.2f\n", k / f}'
  done)
  echo "kafka / file per round: $(echo $ratios)"
  echo
  echo "## the sink alone: one thread offering one-event lists as fast as it may, default settings, same broker"
  java -cp "$cp" io.gatehouse.kafka.KafkaSinkThroughput "127.0.0.1:$port" alone 200000 "$rounds" 2> /dev/null
} | tee "$out"
echo "written to $out"
