package io.gatehouse.csp.sink;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Hands events to another sink from one background thread, in batches: request threads (a Netty
 * event loop, a servlet worker) only enqueue, and the delegate writes and flushes once per batch
 * instead of once per request. While events keep coming the worker looks at the queue every
 * millisecond rather than waiting to be woken, so enqueueing never wakes a thread; after about
 * 100 ms without events it blocks until the next one. The queue is bounded: when it is full,
 * {@link #offer} refuses, so the endpoint answers 503 and the browser sends the reports again;
 * nothing accepted is dropped. When the delegate refuses a batch, it is offered again with back-off
 * (each repeat counted as a retry). {@link #close()} delivers everything queued, then closes the
 * delegate.
 */
public final class AsyncSink implements CspEventSink {
    private static final System.Logger LOG = System.getLogger(AsyncSink.class.getName());

    /** How long the worker waits between looks at the queue while events keep coming. */
    private static final long LINGER_NANOS = 1_000_000;
    /** Empty looks in a row after which the worker blocks instead (about 100 ms of quiet). */
    private static final int IDLE_CHECKS = 100;

    private final CspEventSink delegate;
    private final BlockingQueue<CspEvent> queue;
    private final int batchSize;
    private final Thread worker;
    private final MetricsBinding metrics = new MetricsBinding();
    private volatile boolean closing;

    private AsyncSink(CspEventSink delegate, int capacity, int batchSize) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        if (capacity < 1 || batchSize < 1) {
            throw new IllegalArgumentException("capacity and batchSize must be positive");
        }
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.batchSize = batchSize;
        this.worker = new Thread(this::run, "gatehouse-async-sink");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /** Batches of up to 1,000 events to {@code delegate}, at most {@code capacity} events waiting. */
    public static AsyncSink of(CspEventSink delegate, int capacity) {
        return new AsyncSink(delegate, capacity, 1000);
    }

    /**
     * Queues the events, or refuses them all when the queue has no room for every one of them or the
     * sink is closing.
     */
    @Override
    public synchronized Admission offer(List<CspEvent> events) {
        // Synchronised so that two requests never each queue part of their events: all or nothing.
        if (closing) {
            return Admission.refused("the sink is closed");
        }
        if (queue.remainingCapacity() < events.size()) {
            return Admission.refused("the event queue is full (" + queue.size() + " waiting)");
        }
        for (CspEvent e : events) {
            queue.add(e);
        }
        return Admission.accepted();
    }

    /** Binds these metrics (for retries) and the delegate's (for deliveries). */
    @Override
    public void bindTo(SinkMetrics m) {
        metrics.bind(m, this);
        delegate.bindTo(m);
    }

    /** Events waiting to be handed to the delegate. */
    public int pending() {
        return queue.size();
    }

    private void run() {
        List<CspEvent> batch = new ArrayList<>(batchSize);
        int idle = 0;
        while (true) {
            try {
                CspEvent first;
                if (idle < IDLE_CHECKS) {
                    // Busy: look again after a short linger, so that producers never have to wake
                    // this thread (a wake-up per request costs more than writing the event).
                    first = queue.poll();
                    if (first == null) {
                        idle++;
                        TimeUnit.NANOSECONDS.sleep(LINGER_NANOS);
                    }
                } else {
                    // Idle for a while: block until the next event arrives.
                    first = queue.poll(100, TimeUnit.MILLISECONDS);
                }
                if (first == null) {
                    if (closing && queue.isEmpty()) {
                        return;
                    }
                    continue;
                }
                idle = 0;
                batch.add(first);
                queue.drainTo(batch, batchSize - 1);
                deliver(batch);
                batch.clear();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void deliver(List<CspEvent> batch) throws InterruptedException {
        // The delegate failing (a full disk, say) must not lose the batch: retry until it takes it or we stop.
        long backoff = 10;
        List<CspEvent> events = List.copyOf(batch);
        while (true) {
            String problem;
            Throwable cause = null;
            try {
                Admission a = delegate.offer(events);
                if (a.isAccepted()) {
                    return;
                }
                problem = ((Admission.Refused) a).reason();
            } catch (RuntimeException e) {
                problem = e.getClass().getSimpleName();
                cause = e;
            }
            metrics.get().retried();
            LOG.log(System.Logger.Level.ERROR, "CSP event sink refused " + batch.size() + " events (" + problem
                    + "); retrying", cause);
            TimeUnit.MILLISECONDS.sleep(backoff);
            backoff = Math.min(1000, backoff * 2);
        }
    }

    /**
     * Delivers everything queued, then closes the delegate. If the delegate still refuses after 10
     * seconds, what remains is logged as lost and the delegate is closed anyway.
     */
    @Override
    public void close() {
        closing = true;
        try {
            worker.join(10_000);
            if (worker.isAlive()) {
                worker.interrupt();
                worker.join(1_000);
                int lost = queue.size();
                metrics.get().failed(lost);
                LOG.log(System.Logger.Level.ERROR, "CSP event sink closed with " + lost
                        + " undelivered events: the delegate kept refusing them");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        delegate.close();
    }

    @Override
    public String toString() {
        return "AsyncSink{" + delegate + ", " + queue.size() + " waiting}";
    }
}
