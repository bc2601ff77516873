package io.gatehouse.csp;

import java.util.List;

/**
 * Where accepted events go. {@link #accept} is called once per request with that request's events;
 * it must not block for long (queue and return). An exception makes the endpoint answer 503, so the
 * browser sends the reports again.
 */
public interface CspEventSink extends AutoCloseable {

    /** Takes the events of one request. */
    void accept(List<CspEvent> events) throws Exception;

    /** Delivers or writes whatever is buffered, then releases resources. A graceful stop calls it. */
    @Override
    default void close() {
    }
}
