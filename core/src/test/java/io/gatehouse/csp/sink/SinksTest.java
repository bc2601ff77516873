package io.gatehouse.csp.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SinksTest {
    private HttpServer server;
    private final ConcurrentLinkedQueue<Map<String, Object>> received = new ConcurrentLinkedQueue<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);

    /** JSON text as the core's own tree reader reads it. */
    static Object parse(String json) throws IOException {
        try (com.fasterxml.jackson.core.JsonParser p = new com.fasterxml.jackson.core.JsonFactory().createParser(json)) {
            p.nextToken();
            return io.gatehouse.internal.csp.CspJson.read(p);
        }
    }

    static CspEvent event(String token, int i) {
        return new CspEvent(token, "d" + i, Instant.parse("2024-06-15T08:30:00Z"),
                Map.of("$csp_document_url", "https://a.example/" + i, "$process_person_profile", false));
    }

    /** A PostHog stand-in: {@code behaviour} maps the request number (from 1) to a status; 0 hangs. */
    private URI posthog(IntUnaryOperator behaviour) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/batch/", ex -> {
            int n = requests.incrementAndGet();
            byte[] body = ex.getRequestBody().readAllBytes();
            int status = behaviour.applyAsInt(n);
            if (status == 0) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ex.close();
                return;
            }
            if (status == 200) {
                @SuppressWarnings("unchecked")
                Map<String, Object> parsed = (Map<String, Object>) parse(new String(body, StandardCharsets.UTF_8));
                received.add(parsed);
                assertThat(ex.getRequestHeaders().getFirst("Content-Type")).isEqualTo("application/json");
            }
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.stop(0);
        }
    }

    private static PostHogForwarder.Builder fast(URI host) {
        return PostHogForwarder.builder(host).initialBackoff(Duration.ofMillis(5))
                .maxBackoff(Duration.ofMillis(50)).requestTimeout(Duration.ofMillis(500)).shutdownTimeout(Duration.ofSeconds(10));
    }

    @SuppressWarnings("unchecked")
    private List<String> deliveredIds() {
        List<String> ids = new ArrayList<>();
        for (Map<String, Object> b : received) {
            for (Object e : (List<Object>) b.get("batch")) {
                ids.add((String) ((Map<String, Object>) e).get("distinct_id"));
            }
        }
        return ids;
    }

    @Test
    void batchesPerTokenInPostHogsShape() throws Exception {
        CountingMetrics counters = new CountingMetrics();
        PostHogForwarder f = fast(posthog(n -> 200)).batchSize(3).build();
        f.bindTo(counters);
        assertThat(f.batchUri().toString()).endsWith("/batch/");
        List<CspEvent> events = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            events.add(event(i % 2 == 0 ? "phc_a" : "phc_b", i));
        }
        f.offer(events);
        f.close();
        assertThat(counters.eventsDelivered()).isEqualTo(7);
        assertThat(deliveredIds()).containsExactlyInAnyOrder("d0", "d1", "d2", "d3", "d4", "d5", "d6");
        for (Map<String, Object> b : received) {
            assertThat(b).containsOnlyKeys("api_key", "batch");
            List<?> batch = (List<?>) b.get("batch");
            assertThat(batch).hasSizeBetween(1, 3);
            for (Object e : batch) {
                @SuppressWarnings("unchecked")
                Map<String, Object> ev = (Map<String, Object>) e;
                assertThat(ev).containsEntry("event", "$csp_violation").containsKeys("distinct_id", "timestamp", "properties")
                        .doesNotContainKey("api_key");
                int i = Integer.parseInt(((String) ev.get("distinct_id")).substring(1));
                assertThat(b.get("api_key")).isEqualTo(i % 2 == 0 ? "phc_a" : "phc_b");
            }
        }
    }

    @Test
    void retries5xxThenDelivers() throws Exception {
        CountingMetrics counters = new CountingMetrics();
        PostHogForwarder f = fast(posthog(n -> n <= 3 ? 500 : 200)).build();
        f.bindTo(counters);
        f.offer(List.of(event("t", 1), event("t", 2)));
        assertThat(f.awaitIdle(Duration.ofSeconds(10))).isTrue();
        f.close();
        assertThat(counters.deliveryRetries()).isEqualTo(3);
        assertThat(counters.eventsDelivered()).isEqualTo(2);
        assertThat(counters.deliveryFailures()).isZero();
        assertThat(deliveredIds()).containsExactly("d1", "d2");
    }

    @Test
    void hangingPostHogTimesOutAndIsRetried() throws Exception {
        CountingMetrics counters = new CountingMetrics();
        PostHogForwarder f = fast(posthog(n -> n == 1 ? 0 : n == 2 ? 503 : 200)).build();
        f.bindTo(counters);
        f.offer(List.of(event("t", 1)));
        assertThat(f.awaitIdle(Duration.ofSeconds(10))).isTrue();
        f.close();
        assertThat(counters.deliveryRetries()).isEqualTo(2);
        assertThat(deliveredIds()).containsExactly("d1");
    }

    @Test
    void unreachablePostHogIsRetriedUntilTheShutdownDeadlineThenCounted() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        CountingMetrics counters = new CountingMetrics();
        PostHogForwarder f = fast(URI.create("http://127.0.0.1:" + port))
                .shutdownTimeout(Duration.ofMillis(300)).build();
        f.bindTo(counters);
        f.offer(List.of(event("t", 1), event("t", 2), event("t", 3)));
        f.close();
        assertThat(counters.deliveryRetries()).isPositive();
        assertThat(counters.deliveryFailures()).isEqualTo(3);
        assertThat(counters.eventsDelivered()).isZero();
        assertThat(f.pending()).isZero();
    }

    /** PostHog answers 500, then hangs, then recovers: every accepted event arrives, once. */
    @Test
    void fiveHundredThenHangThenRecoveryLosesNothing() throws Exception {
        CountingMetrics counters = new CountingMetrics();
        PostHogForwarder f = fast(posthog(n -> n == 1 ? 500 : n == 2 ? 0 : 200)).batchSize(7).build();
        f.bindTo(counters);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            f.offer(List.of(event(i % 3 == 0 ? "phc_a" : "phc_b", i)));
            expected.add("d" + i);
        }
        assertThat(f.awaitIdle(Duration.ofSeconds(20))).isTrue();
        f.close();
        assertThat(deliveredIds()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(counters.eventsDelivered()).isEqualTo(50);
        assertThat(counters.deliveryRetries()).isEqualTo(2);
        assertThat(counters.deliveryFailures()).isZero();
        assertThat(counters.droppedOverflow()).isZero();
    }

    @Test
    void clientErrorsAreNotRetried() throws Exception {
        CountingMetrics counters = new CountingMetrics();
        PostHogForwarder f = fast(posthog(n -> 400)).build();
        f.bindTo(counters);
        f.offer(List.of(event("t", 1)));
        assertThat(f.awaitIdle(Duration.ofSeconds(10))).isTrue();
        f.close();
        assertThat(requests.get()).isEqualTo(1);
        assertThat(counters.deliveryFailures()).isEqualTo(1);
        assertThat(counters.deliveryRetries()).isZero();
    }

    @Test
    void overflowDropsOldestFirstAndCounts() throws Exception {
        CountingMetrics counters = new CountingMetrics();
        // The first request hangs until released, so the queue fills behind it.
        PostHogForwarder f = fast(posthog(n -> n == 1 ? 0 : 200)).queueCapacity(5).batchSize(100)
                .requestTimeout(Duration.ofSeconds(5)).build();
        f.bindTo(counters);
        f.offer(List.of(event("t", 0)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (requests.get() == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        for (int i = 1; i <= 12; i++) {
            f.offer(List.of(event("t", i)));
        }
        assertThat(counters.droppedOverflow()).isEqualTo(7);
        release.countDown();
        assertThat(f.awaitIdle(Duration.ofSeconds(10))).isTrue();
        f.close();
        // Event 0 was in flight (its hung request is retried); 1-7 were dropped, oldest first.
        assertThat(deliveredIds()).containsExactlyInAnyOrder("d0", "d8", "d9", "d10", "d11", "d12");
    }

    @Test
    void closedForwarderRefusesEvents() throws Exception {
        PostHogForwarder f = fast(posthog(n -> 200)).build();
        f.bindTo(new CountingMetrics());
        f.close();
        assertThat(f.offer(List.of(event("t", 1)))).isInstanceOf(Admission.Refused.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PostHogForwarder.builder(URI.create("ftp://x")))
                .hasMessageContaining("POSTHOG_HOST");
    }

    @Test
    void jsonLinesOneEventPerLine(@TempDir Path dir) throws Exception {
        CountingMetrics counters = new CountingMetrics();
        StringWriter w = new StringWriter();
        JsonLinesSink sink = CountingMetrics.bound(JsonLinesSink.to(w), counters);
        sink.offer(List.of(event("phc_a", 1), event("phc_a", 2)));
        String[] lines = w.toString().split("\n", -1);
        assertThat(lines).hasSize(3);
        assertThat(lines[2]).isEmpty();
        @SuppressWarnings("unchecked")
        Map<String, Object> first = (Map<String, Object>) parse(lines[0]);
        assertThat(first).containsEntry("api_key", "phc_a").containsEntry("event", "$csp_violation")
                .containsEntry("distinct_id", "d1").containsEntry("timestamp", "2024-06-15T08:30:00Z");
        assertThat(counters.eventsDelivered()).isEqualTo(2);

        Path file = dir.resolve("events.jsonl");
        JsonLinesSink fileSink = CountingMetrics.bound(JsonLinesSink.appendingTo(file), counters);
        fileSink.offer(List.of(event("t", 1)));
        fileSink.close();
        JsonLinesSink again = CountingMetrics.bound(JsonLinesSink.appendingTo(file), counters);
        again.offer(List.of(event("t", 2)));
        again.close();
        assertThat(Files.readAllLines(file)).hasSize(2);
    }

    @Test
    void fileLinesKeepEveryStringExactly(@TempDir Path dir) throws Exception {
        // Non-ASCII, an emoji (a surrogate pair), a lone surrogate, quotes, a line break and controls.
        String tricky = "ü 例 😀 \uD800 \"q\" \\ \n \u0001 \u2028";
        CspEvent e = new CspEvent("t", "d", Instant.parse("2024-06-15T08:30:00.123Z"),
                Map.of("$csp_document_url", tricky));
        Path file = dir.resolve("events.jsonl");
        JsonLinesSink sink = CountingMetrics.bound(JsonLinesSink.appendingTo(file), new CountingMetrics());
        sink.offer(List.of(e, e));
        sink.close();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(2);
        for (String line : lines) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) parse(line);
            assertThat(m).containsEntry("timestamp", "2024-06-15T08:30:00.123Z");
            assertThat(((Map<?, ?>) m.get("properties")).get("$csp_document_url")).isEqualTo(tricky);
        }
    }

    @Test
    void concurrentRequestsLoseNothing() throws Exception {
        CountingMetrics counters = new CountingMetrics();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        StringWriter w = new StringWriter();
        JsonLinesSink sink = CountingMetrics.bound(JsonLinesSink.to(w), counters);
        Thread[] threads = new Thread[8];
        for (int t = 0; t < threads.length; t++) {
            int base = t * 1000;
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 200; i++) {
                    assertThat(sink.offer(List.of(event("t", base + i))).isAccepted()).isTrue();
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        lines.addAll(List.of(w.toString().split("\n")));
        assertThat(lines).hasSize(1600).allSatisfy(l -> assertThat(l).startsWith("{\"api_key\":\"t\"").endsWith("}}"));
    }
}
