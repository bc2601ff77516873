package io.gatehouse.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.csp.sink.CspEvent;
import io.gatehouse.csp.sink.Admission;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink against a real single-node KRaft broker, started once for the class: every accepted event
 * arrives exactly once with its key and payload, and a broker that stops mid-stream and comes back
 * loses nothing that was accepted while what did not fit was refused.
 */
@Timeout(180)
class KafkaSinkTest {
    @TempDir
    static Path dir;
    static KafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaBroker.start(dir);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    /** An event with a sequence number and text that needs escaping (non-ASCII, a surrogate pair, quotes). */
    static CspEvent event(String distinctId, int n) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("$current_url", "https://example.com/é/\"quoted\"/😀?n=" + n);
        p.put("n", n);
        p.put("effective_directive", "script-src-elem");
        return new CspEvent("phc_test", distinctId, Instant.parse("2026-12-02T10:00:00Z").plusMillis(n), p);
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    @Test
    void everyAcceptedEventArrivesOnceKeyedByDistinctIdInCaptureShape() throws Exception {
        broker.createTopic("exactly-once", 3);
        CountingMetrics metrics = new CountingMetrics();
        KafkaSink sink = KafkaSink.builder().bootstrapServers(broker.bootstrapServers()).topic("exactly-once")
                .capacity(100_000).build();
        sink.bindTo(metrics);
        int threads = 4;
        int perThread = 1_500;
        Map<String, String> expected = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(threads);
        List<Admission> refusals = Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            int thread = t;
            new Thread(() -> {
                // Each thread owns its users, so each user's events are offered in order; lists of 1 to 3
                // events, as one report body gives.
                int n = 0;
                while (n < perThread) {
                    List<CspEvent> list = new ArrayList<>();
                    for (int k = 0; k < 1 + n % 3 && n < perThread; k++, n++) {
                        int seq = thread * perThread + n;
                        CspEvent e = event("user-" + thread + "-" + n % 25, seq);
                        list.add(e);
                        expected.put(String.valueOf(seq), e.toJson());
                    }
                    Admission a = sink.offer(list);
                    if (!a.isAccepted()) {
                        refusals.add(a);
                    }
                }
                done.countDown();
            }).start();
        }
        assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(refusals).isEmpty();
        sink.close();
        assertThat(metrics.delivered).hasValue(threads * perThread);
        assertThat(metrics.failed).hasValue(0);
        assertThat(sink.outstanding()).isZero();

        List<ConsumerRecord<String, String>> records = broker.readAll("exactly-once", Duration.ofSeconds(30));
        assertThat(records).hasSize(threads * perThread);
        Map<String, String> received = new HashMap<>();
        Map<String, Integer> partitionOfKey = new HashMap<>();
        Map<String, Integer> lastSeqOfKey = new HashMap<>();
        for (ConsumerRecord<String, String> r : records) {
            int seq = Integer.parseInt(r.value().replaceAll(".*\"n\":([0-9]+).*", "$1"));
            assertThat(received.put(String.valueOf(seq), r.value())).as("duplicate of event %d", seq).isNull();
            // The key is the distinct_id, which the value carries too.
            assertThat(r.value()).contains("\"distinct_id\":\"" + r.key() + "\"");
            assertThat(partitionOfKey.computeIfAbsent(r.key(), k -> r.partition())).isEqualTo(r.partition());
            // One user's events keep their order.
            Integer last = lastSeqOfKey.put(r.key(), seq);
            assertThat(last == null || last < seq).as("order of %s: %s then %d", r.key(), last, seq).isTrue();
        }
        // The payload is the event's capture JSON: the same document as CspEvent.toJson(), written as
        // UTF-8 (non-ASCII as raw UTF-8, surrogate pairs as \\u escapes, as the JSON-lines sink does).
        assertThat(received.keySet()).isEqualTo(expected.keySet());
        ObjectMapper json = new ObjectMapper();
        for (Map.Entry<String, String> e : received.entrySet()) {
            assertThat(json.readTree(e.getValue())).as("event %s", e.getKey()).isEqualTo(json.readTree(expected.get(e.getKey())));
        }
        assertThat(records.get(0).value()).startsWith("{\"api_key\":\"phc_test\",\"event\":\"$csp_violation\",\"distinct_id\":\"user-")
                .contains("\"$current_url\":\"https://example.com/é/\\\"quoted\\\"/\\uD83D\\uDE00?n=");
        assertThat(partitionOfKey.values()).as("users spread over the partitions").hasSize(100).containsOnly(0, 1, 2);
    }

    /**
     * Offers events steadily while the broker is stopped ({@code SIGTERM}) and started again on the
     * same port and log directory: the offers that do not fit while it is away are refused, and every
     * accepted one arrives exactly once.
     */
    @Test
    void aBrokerStoppedMidStreamLosesNothingAcceptedAndRefusesWhatDoesNotFit() throws Exception {
        broker.createTopic("outage", 3);
        CountingMetrics metrics = new CountingMetrics();
        int capacity = 300;
        KafkaSink sink = KafkaSink.builder().bootstrapServers(broker.bootstrapServers()).topic("outage")
                .capacity(capacity).closeTimeout(Duration.ofSeconds(60)).build();
        sink.bindTo(metrics);
        List<Integer> accepted = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger maxOutstanding = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        Thread offerer = new Thread(() -> {
            for (int n = 0; !stop.get(); n++) {
                Admission a = sink.offer(List.of(event("user-" + n % 40, n)));
                if (a.isAccepted()) {
                    accepted.add(n);
                } else {
                    assertThat(a).isInstanceOfSatisfying(Admission.Refused.class,
                            r -> assertThat(r.reason()).startsWith("the Kafka sink is full"));
                    refused.incrementAndGet();
                }
                maxOutstanding.accumulateAndGet(sink.outstanding(), Math::max);
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(500)); // a steady stream, about 2,000/s
            }
        }, "offerer");
        offerer.start();
        try {
            await("deliveries before the crash", Duration.ofSeconds(30), () -> metrics.delivered.get() >= 500);
            broker.stop();
            int acceptedAtCrash = accepted.size();
            await("refusals while the broker is down", Duration.ofSeconds(30), () -> refused.get() >= 100);
            assertThat(accepted.size() - acceptedAtCrash).as("accepted during the outage").isLessThanOrEqualTo(capacity);
            long deliveredBeforeRestart = metrics.delivered.get();
            broker.restart();
            int acceptedAtRestart = accepted.size();
            await("deliveries after the restart", Duration.ofSeconds(60),
                    () -> metrics.delivered.get() >= deliveredBeforeRestart + capacity + 500
                            && accepted.size() >= acceptedAtRestart + 500);
        } finally {
            stop.set(true);
            offerer.join();
        }
        sink.close();
        assertThat(refused.get()).isGreaterThanOrEqualTo(100);
        assertThat(maxOutstanding.get()).isLessThanOrEqualTo(capacity);
        assertThat(metrics.failed).hasValue(0);
        assertThat(metrics.delivered).hasValue(accepted.size());

        List<ConsumerRecord<String, String>> records = broker.readAll("outage", Duration.ofSeconds(30));
        List<Integer> received = new ArrayList<>();
        for (ConsumerRecord<String, String> r : records) {
            received.add(Integer.parseInt(r.value().replaceAll(".*\"n\":([0-9]+).*", "$1")));
        }
        assertThat(received).as("every accepted event, once").hasSameSizeAs(accepted)
                .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(accepted);
        System.err.printf("outage: accepted %d, refused %d, retried %d, max outstanding %d%n", accepted.size(),
                refused.get(), metrics.retried.get(), maxOutstanding.get());
    }
}
