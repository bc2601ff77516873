package io.gatehouse.csp;

import io.gatehouse.csp.sink.SinkMetrics;
import io.gatehouse.internal.csp.CspRejection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the report endpoint and its sinks, readable at any time. One instance is shared by an
 * endpoint and the sinks it feeds. Thread-safe.
 */
public final class CspCounters {
    final LongAdder reportsReceived = new LongAdder();
    final LongAdder eventsAccepted = new LongAdder();
    final LongAdder sampledOut = new LongAdder();
    final LongAdder droppedExtension = new LongAdder();
    final LongAdder ignoredNonCsp = new LongAdder();
    final LongAdder rejectedInvalidPayload = new LongAdder();
    final LongAdder rejectedInvalidCspPayload = new LongAdder();
    final LongAdder rejectedTooLarge = new LongAdder();
    final LongAdder rejectedMissingApiKey = new LongAdder();
    final LongAdder rejectedInvalidApiKey = new LongAdder();
    final LongAdder sinkErrors = new LongAdder();
    final LongAdder eventsDelivered = new LongAdder();
    final LongAdder droppedOverflow = new LongAdder();
    final LongAdder deliveryRetries = new LongAdder();
    final LongAdder deliveryFailures = new LongAdder();

    /** Counters at zero, for an endpoint to update ({@code CspReportEndpoint.Builder.counters}). */
    public CspCounters() {
    }

    /** What the sink reports, into the counters below. */
    private final SinkMetrics sinkMetrics = new SinkMetrics() {
        @Override
        public void delivered(int events) {
            eventsDelivered.add(events);
        }

        @Override
        public void dropped(int events) {
            droppedOverflow.add(events);
        }

        @Override
        public void retried() {
            deliveryRetries.increment();
        }

        @Override
        public void failed(int events) {
            deliveryFailures.add(events);
        }
    };

    SinkMetrics sinkMetrics() {
        return sinkMetrics;
    }

    void rejected(CspRejection r) {
        switch (r) {
            case INVALID_PAYLOAD -> rejectedInvalidPayload.increment();
            case INVALID_FORMAT, INVALID_PROPERTIES -> rejectedInvalidCspPayload.increment();
            case TOO_LARGE -> rejectedTooLarge.increment();
            case MISSING_API_KEY -> rejectedMissingApiKey.increment();
            case INVALID_API_KEY -> rejectedInvalidApiKey.increment();
        }
    }

    /** Reports in accepted request bodies, of every type. */
    public long reportsReceived() {
        return reportsReceived.sum();
    }

    /** Events handed to the sink. */
    public long eventsAccepted() {
        return eventsAccepted.sum();
    }

    /** Violations dropped by sampling. */
    public long sampledOut() {
        return sampledOut.sum();
    }

    /** Violations dropped as browser-extension noise. */
    public long droppedExtension() {
        return droppedExtension.sum();
    }

    /** Reporting API reports of other types than {@code csp-violation}. */
    public long ignoredNonCsp() {
        return ignoredNonCsp.sum();
    }

    /** Rejected requests with this reason. */
    public long rejected(String counterName) {
        return switch (counterName) {
            case "invalid_payload" -> rejectedInvalidPayload.sum();
            case "invalid_csp_payload" -> rejectedInvalidCspPayload.sum();
            case "too_large" -> rejectedTooLarge.sum();
            case "missing_api_key" -> rejectedMissingApiKey.sum();
            case "invalid_api_key" -> rejectedInvalidApiKey.sum();
            default -> throw new IllegalArgumentException("no such counter: " + counterName);
        };
    }

    /** Requests answered 503 because the sink refused the events (back-pressure) or failed. */
    public long sinkErrors() {
        return sinkErrors.sum();
    }

    /** Events a sink wrote or delivered. */
    public long eventsDelivered() {
        return eventsDelivered.sum();
    }

    /** Accepted events a sink dropped to make room (the PostHog forwarder drops its oldest when full). */
    public long droppedOverflow() {
        return droppedOverflow.sum();
    }

    /** Delivery attempts repeated after a 5xx or network error. */
    public long deliveryRetries() {
        return deliveryRetries.sum();
    }

    /** Accepted events a sink gave up on (a 4xx answer, or the shutdown deadline). */
    public long deliveryFailures() {
        return deliveryFailures.sum();
    }

    /** Every counter by name, in a stable order. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("reports_received", reportsReceived());
        m.put("events_accepted", eventsAccepted());
        m.put("sampled_out", sampledOut());
        m.put("dropped_extension", droppedExtension());
        m.put("ignored_non_csp", ignoredNonCsp());
        m.put("rejected_invalid_payload", rejectedInvalidPayload.sum());
        m.put("rejected_invalid_csp_payload", rejectedInvalidCspPayload.sum());
        m.put("rejected_too_large", rejectedTooLarge.sum());
        m.put("rejected_missing_api_key", rejectedMissingApiKey.sum());
        m.put("rejected_invalid_api_key", rejectedInvalidApiKey.sum());
        m.put("sink_errors", sinkErrors());
        m.put("events_delivered", eventsDelivered());
        m.put("dropped_overflow", droppedOverflow());
        m.put("delivery_retries", deliveryRetries());
        m.put("delivery_failures", deliveryFailures());
        return m;
    }

    @Override
    public String toString() {
        return "CspCounters" + snapshot();
    }
}
