package io.gatehouse.csp.sink;

import java.util.Objects;

/** The metrics a provided sink reports to: {@link SinkMetrics#NONE} until bound, then bound once. */
final class MetricsBinding {
    private volatile SinkMetrics metrics = SinkMetrics.NONE;

    void bind(SinkMetrics m, Object sink) {
        Objects.requireNonNull(m, "metrics");
        synchronized (this) {
            if (metrics != SinkMetrics.NONE && metrics != m) {
                throw new IllegalStateException(sink.getClass().getSimpleName()
                        + " already reports to another endpoint's counters; give each endpoint a sink of its own");
            }
            metrics = m;
        }
    }

    SinkMetrics get() {
        return metrics;
    }
}
