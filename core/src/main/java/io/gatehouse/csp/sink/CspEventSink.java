package io.gatehouse.csp.sink;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Where accepted CSP events go: a file, PostHog's capture API, a Kafka topic, or a sink of your own.
 *
 * <p>The report endpoint calls {@link #offer} once per request with that request's events, on the
 * request's thread (a Netty event loop, a servlet worker), so an implementation must return at once:
 * queue the events and deliver them from a thread of its own. Its answer decides the HTTP answer:
 * {@link Admission#accepted()} means the sink now owns the events and will deliver them (the browser
 * is answered 204); {@link Admission#refused(String)} is back-pressure, nothing was taken, and the
 * browser is answered 503 so that it sends the reports again later. An exception thrown by
 * {@code offer} counts as a refusal and is logged.
 *
 * <p>When the endpoint is built it calls {@link #bindTo} once with the {@link SinkMetrics} of its
 * counters, so what the sink delivers, drops, retries and gives up on appears beside the endpoint's
 * own counts ({@code CspCounters}, and the Micrometer meters built on them). A sink reports to the
 * metrics of one endpoint.
 */
public interface CspEventSink extends AutoCloseable {

    /**
     * A sink that hands each request's events to {@code consumer} on the request's thread and accepts
     * them; an exception from the consumer refuses them (503). For tests, and for consumers that only
     * put the events on a queue of their own.
     */
    static CspEventSink consuming(Consumer<? super List<CspEvent>> consumer) {
        Objects.requireNonNull(consumer, "consumer");
        return events -> {
            consumer.accept(events);
            return Admission.accepted();
        };
    }

    /**
     * Offers the events of one request (never empty). Must not block.
     *
     * @return accepted when the sink will deliver every one of them, refused when it takes none
     */
    Admission offer(List<CspEvent> events);

    /**
     * Where to report deliveries, drops, retries and failures; called by the endpoint when it is
     * built, before any {@link #offer}. The default ignores them.
     *
     * @throws IllegalStateException if the sink already reports to other metrics
     */
    default void bindTo(SinkMetrics metrics) {
    }

    /**
     * Delivers (or writes) everything accepted, within the sink's own shutdown bound, then releases
     * its resources. A graceful stop of the server calls it; offers after it are refused.
     */
    @Override
    default void close() {
    }
}
