package io.gatehouse.kafka;

import io.gatehouse.csp.sink.SinkMetrics;
import java.util.concurrent.atomic.AtomicLong;

/** {@link SinkMetrics} that count, for assertions. */
public final class CountingMetrics implements SinkMetrics {
    /** Events acknowledged. */
    public final AtomicLong delivered = new AtomicLong();
    /** Events dropped after acceptance. */
    public final AtomicLong dropped = new AtomicLong();
    /** Repeated attempts. */
    public final AtomicLong retried = new AtomicLong();
    /** Events given up on. */
    public final AtomicLong failed = new AtomicLong();

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
        retried.incrementAndGet();
    }

    @Override
    public void failed(int events) {
        failed.addAndGet(events);
    }

    @Override
    public String toString() {
        return "delivered=" + delivered + " dropped=" + dropped + " retried=" + retried + " failed=" + failed;
    }
}
