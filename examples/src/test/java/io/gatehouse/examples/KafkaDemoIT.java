package io.gatehouse.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.kafka.KafkaBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo jar, as separate processes, writing to a real single-node KRaft broker (one for the
 * class) through the Kafka sink: a {@code SIGTERM} flushes everything answered 204, and three
 * instances taking real browser reports at once put every accepted event in one topic exactly once.
 */
@Timeout(180)
class KafkaDemoIT {
    /** Real Chromium 156 bodies, with their content type and how many reports each holds. */
    record Body(String file, String contentType, byte[] bytes, int events) {
    }

    @TempDir
    static Path brokerDir;
    static KafkaBroker broker;
    static List<Body> bodies;

    @TempDir
    Path dir;
    private DemoProcesses demos;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaBroker.start(brokerDir);
        Path fixtures = Path.of("..", "core", "src", "test", "resources", "io", "gatehouse", "csp", "chromium-156");
        List<Body> list = new ArrayList<>();
        for (JsonNode r : new ObjectMapper().readTree(fixtures.resolve("requests.json").toFile())) {
            String file = r.get("file").asText();
            list.add(new Body(file, r.get("content_type").asText(), Files.readAllBytes(fixtures.resolve(file)),
                    r.get("reports_in_body").asInt()));
        }
        assertThat(list).hasSizeGreaterThanOrEqualTo(14).anySatisfy(b -> assertThat(b.events()).isEqualTo(4));
        bodies = List.copyOf(list);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @BeforeEach
    void setUp() {
        demos = new DemoProcesses(dir);
    }

    @AfterEach
    void stop() {
        demos.close();
    }

    private DemoProcesses.Demo startDemo(String topic, Map<String, String> more) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("DEBUG", "1", "GATEHOUSE_KAFKA_BOOTSTRAP_SERVERS",
                broker.bootstrapServers(), "GATEHOUSE_KAFKA_TOPIC", topic));
        env.putAll(more);
        return demos.start(env);
    }

    /** POSTs {@code body} as user {@code distinctId}; returns the status. */
    private static int post(HttpClient c, int port, Body body, String distinctId) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/report/?token=phc_demo&v=1&distinct_id=" + distinctId))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", body.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build();
        return c.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Stops the demo with SIGTERM and checks it exits 0. */
    private static void sigterm(DemoProcesses.Demo d) throws Exception {
        d.process().destroy();
        assertThat(d.process().waitFor(60, TimeUnit.SECONDS)).as("the demo stops").isTrue();
        assertThat(d.process().exitValue()).as("exit status; stderr: %s", d.stderr()).isEqualTo(0);
    }

    /**
     * Checks the topic holds exactly the events of the requests answered 204: per user (one
     * distinct_id per request) as many records as the body had reports, none repeated, and nothing else.
     */
    private static void assertExactly(List<ConsumerRecord<String, String>> records, Map<String, Body> answered204) {
        Map<String, List<String>> byUser = new HashMap<>();
        for (ConsumerRecord<String, String> r : records) {
            assertThat(r.value()).startsWith("{\"api_key\":\"phc_demo\",\"event\":\"$csp_violation\",\"distinct_id\":\""
                    + r.key() + "\"");
            byUser.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
        }
        assertThat(byUser.keySet()).as("users with events").isEqualTo(answered204.keySet());
        for (Map.Entry<String, List<String>> e : byUser.entrySet()) {
            Body b = answered204.get(e.getKey());
            assertThat(e.getValue()).as("events of %s (%s)", e.getKey(), b.file()).hasSize(b.events());
            // Each report of a body differs (directive, sample, line); a repeated record is a duplicate.
            assertThat(new HashSet<>(e.getValue())).as("distinct events of %s", e.getKey()).hasSize(b.events());
        }
        assertThat(records).hasSize(answered204.values().stream().mapToInt(Body::events).sum());
    }

    /**
     * Events wait in the producer (a 60 s linger) when the SIGTERM arrives; the demo sends them,
     * waits for the broker, and exits 0, having lost none.
     */
    @Test
    void sigtermFlushesEveryEventAnswered204IntoTheTopic() throws Exception {
        broker.createTopic("demo-sigterm", 3);
        DemoProcesses.Demo d = startDemo("demo-sigterm", Map.of("GATEHOUSE_KAFKA_PRODUCER_LINGER_MS", "60000"));
        HttpClient c = DemoProcesses.client();
        Map<String, Body> answered = new HashMap<>();
        for (int i = 0; i < 3 * bodies.size(); i++) {
            Body b = bodies.get(i % bodies.size());
            String user = "sigterm-" + i;
            assertThat(post(c, d.port(), b, user)).as("answer to %s", b.file()).isEqualTo(204);
            answered.put(user, b);
        }
        int events = answered.values().stream().mapToInt(Body::events).sum();
        long t0 = System.nanoTime();
        sigterm(d);
        // Well within the linger: the stop sent them, the linger did not.
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
        assertThat(d.stderr()).contains("gatehouse-demo stopped").contains("events_accepted=" + events)
                .contains("events_delivered=" + events).contains("delivery_failures=0");
        assertExactly(broker.readAll("demo-sigterm", Duration.ofSeconds(30)), answered);
    }

    /**
     * Three instances, no proxy, two clients each posting real report bodies at the same time; a
     * consumer of the one topic finds every event that any instance answered 204 for, once.
     */
    @Test
    void threeInstancesWriteEveryAcceptedEventToOneTopicOnce() throws Exception {
        broker.createTopic("demo-three", 6);
        List<DemoProcesses.Demo> instances = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            instances.add(startDemo("demo-three", Map.of()));
        }
        Map<String, Body> answered = new ConcurrentHashMap<>();
        List<String> notAccepted = Collections.synchronizedList(new ArrayList<>());
        int perClient = 100;
        ExecutorService clients = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                for (int k = 0; k < 2; k++) {
                    int instance = i;
                    int client = k;
                    running.add(clients.submit(() -> {
                        HttpClient c = DemoProcesses.client();
                        for (int n = 0; n < perClient; n++) {
                            Body b = bodies.get((n + client * 7) % bodies.size());
                            String user = "i" + instance + "-c" + client + "-" + n;
                            int status = post(c, instances.get(instance).port(), b, user);
                            if (status == 204) {
                                answered.put(user, b);
                            } else {
                                notAccepted.add(user + ": " + status);
                            }
                        }
                        return null;
                    }));
                }
            }
            for (Future<?> f : running) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(notAccepted).as("requests not answered 204").isEmpty();
        assertThat(answered).hasSize(3 * 2 * perClient);
        int events = answered.values().stream().mapToInt(Body::events).sum();

        // While the instances still run: every accepted event arrives...
        assertExactly(broker.awaitRecords("demo-three", events, Duration.ofSeconds(60)), answered);
        // ...and stopping them adds nothing (no event written twice).
        long delivered = 0;
        for (DemoProcesses.Demo d : instances) {
            sigterm(d);
            String err = d.stderr();
            assertThat(err).contains("delivery_failures=0");
            delivered += Long.parseLong(err.replaceAll("(?s).*events_delivered=([0-9]+).*", "$1"));
        }
        assertThat(delivered).as("events the three instances delivered").isEqualTo(events);
        assertExactly(broker.readAll("demo-three", Duration.ofSeconds(30)), answered);
    }

    /** Kafka settings are checked with the rest before listening: exit 2, every problem named, no secret. */
    @Test
    void kafkaConfigurationErrorsExit2WithTheOthersAndNoSecret() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(DemoProcesses.JAVA_BIN.resolve("java").toString(), "-jar",
                DemoProcesses.JAR.toString()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(Map.of("PORT", "http", "DEBUG", "1",
                "GATEHOUSE_KAFKA_BOOTSTRAP_SERVER", broker.bootstrapServers(),
                "GATEHOUSE_KAFKA_PRODUCER_ACKS", "1",
                "GATEHOUSE_KAFKA_PRODUCER_SASL_JAAS_CONFIG", "PlainLoginModule required password=\"hunter2-kafka\";"));
        Process p = demos.track(pb.start());
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(out).contains("4 problems").contains("PORT \"http\"")
                .contains("\"GATEHOUSE_KAFKA_BOOTSTRAP_SERVER\" is not a Gatehouse Kafka setting")
                .contains("GATEHOUSE_KAFKA_BOOTSTRAP_SERVERS is not set")
                .contains("GATEHOUSE_KAFKA_PRODUCER_ACKS \"1\": must be all")
                .doesNotContain("hunter2");
    }
}
