package io.gatehouse.csp.sink;

/**
 * What a sink reports about the events it accepted. The endpoint hands its sink one through
 * {@link CspEventSink#bindTo}; every method is thread-safe and cheap (a counter increment), so a sink
 * may call it from any thread.
 */
public interface SinkMetrics {

    /** Metrics that ignore everything: what a sink reports to until it is bound. */
    SinkMetrics NONE = new SinkMetrics() {
        @Override
        public void delivered(int events) {
        }

        @Override
        public void dropped(int events) {
        }

        @Override
        public void retried() {
        }

        @Override
        public void failed(int events) {
        }

        @Override
        public String toString() {
            return "SinkMetrics.NONE";
        }
    };

    /** Events written or acknowledged by their destination. */
    void delivered(int events);

    /** Accepted events dropped to make room (a sink that refuses when full never calls this). */
    void dropped(int events);

    /** One delivery attempt repeated after a failure. */
    void retried();

    /** Accepted events given up on: refused for good by the destination, or left at the shutdown deadline. */
    void failed(int events);
}
