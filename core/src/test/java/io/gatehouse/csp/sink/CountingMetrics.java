package io.gatehouse.csp.sink;

import java.util.concurrent.atomic.AtomicLong;

/** Sink metrics that count, for tests. */
final class CountingMetrics implements SinkMetrics {
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    static <S extends CspEventSink> S bound(S sink, SinkMetrics metrics) {
        sink.bindTo(metrics);
        return sink;
    }

    @Override
    public void delivered(int events) {
        delivered.addAndGet(events);
    }

    @Override
    public void dropped(int events) {
        dropped.addAndGet(events);
    }

    @Override
    public void retried() {
        retries.incrementAndGet();
    }

    @Override
    public void failed(int events) {
        failed.addAndGet(events);
    }

    long eventsDelivered() {
        return delivered.get();
    }

    long droppedOverflow() {
        return dropped.get();
    }

    long deliveryRetries() {
        return retries.get();
    }

    long deliveryFailures() {
        return failed.get();
    }
}
