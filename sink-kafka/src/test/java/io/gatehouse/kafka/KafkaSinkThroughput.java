package io.gatehouse.kafka;

import io.gatehouse.csp.sink.CspEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The sink alone, for the load script ({@code benchmarks/load/kafka.sh}): one thread offers
 * {@code events} one-event lists (backing off 0.1 ms on a refusal) to a {@link KafkaSink} with the
 * default settings, and the time until the broker has acknowledged the last one gives events/s.
 * Arguments: bootstrap servers, a topic prefix (one new topic of 3 partitions per round), events
 * per round, rounds.
 */
public final class KafkaSinkThroughput {
    private KafkaSinkThroughput() {
    }

    /**
     * Measures and prints one line per round.
     *
     * @param args bootstrap servers, topic prefix, events per round, rounds
     * @throws Exception when the broker refuses the topic
     */
    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        int events = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("$current_url", "http://127.0.0.1:41953/urionly");
        props.put("effective_directive", "img-src");
        props.put("blocked_uri", "http://127.0.0.2:42111/x.png");
        props.put("original_policy", "default-src 'self'; img-src 'self'; script-src 'self'; report-uri /report/?token=phc_test&v=1");
        for (int round = 1; round <= rounds; round++) {
            String topic = args[1] + "-" + round;
            KafkaTool.main(new String[] {"create", bootstrap, topic, "3"});
            CountingMetrics metrics = new CountingMetrics();
            long refused = 0;
            long t0;
            try (KafkaSink sink = KafkaSink.builder().bootstrapServers(bootstrap).topic(topic).build()) {
                sink.bindTo(metrics);
                t0 = System.nanoTime();
                for (int i = 0; i < events; ) {
                    CspEvent e = new CspEvent("phc_load", "user-" + i % 1000, Instant.now(), props);
                    if (sink.offer(List.of(e)).isAccepted()) {
                        i++;
                    } else {
                        refused++;
                        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
                    }
                }
                while (metrics.delivered.get() + metrics.failed.get() < events) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("sink alone, round %d: %d events in %.2f s = %.0f events/s (refusals while full: %d; %s)%n",
                    round, events, seconds, events / seconds, refused, metrics);
        }
    }
}
