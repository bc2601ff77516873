package io.gatehouse.csp.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Forwards events to PostHog's capture API, {@code POST {host}/batch/} with
 * {@code {"api_key": token, "batch": [...]}}, one token per batch, from one background thread.
 *
 * <ul>
 *   <li>{@link #offer} only queues: the queue is bounded, and when it is full the oldest event is
 *       dropped and counted ({@code dropped_overflow}), as PostHog's own clients do.</li>
 *   <li>A 5xx answer, a timeout or a network error is retried with exponential back-off and full
 *       jitter, for as long as the forwarder runs; a 4xx answer is not retried (the batch is counted
 *       as {@code delivery_failures}).</li>
 *   <li>{@link #close()} stops taking events and keeps delivering until the queue is empty or the
 *       shutdown deadline passes; what is left then is counted as failed. A graceful stop therefore
 *       loses nothing that was accepted while PostHog answers within the deadline.</li>
 * </ul>
 */
public final class PostHogForwarder implements CspEventSink {
    private static final System.Logger LOG = System.getLogger(PostHogForwarder.class.getName());
    private static final JsonFactory JSON = new JsonFactory();

    private final URI batchUri;
    private final HttpClient client;
    private final int capacity;
    private final int batchSize;
    private final Duration requestTimeout;
    private final long initialBackoffNanos;
    private final long maxBackoffNanos;
    private final Duration shutdownTimeout;
    private final MetricsBinding metrics = new MetricsBinding();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition idle = lock.newCondition();
    private final ArrayDeque<CspEvent> queue = new ArrayDeque<>();
    private int inFlight;
    private boolean closing;
    private boolean stopped;
    private final Thread worker;

    private PostHogForwarder(Builder b) {
        String host = b.host.toString();
        this.batchUri = URI.create((host.endsWith("/") ? host : host + "/") + "batch/");
        this.client = b.client != null ? b.client
                : HttpClient.newBuilder().connectTimeout(b.requestTimeout).build();
        this.capacity = b.queueCapacity;
        this.batchSize = b.batchSize;
        this.requestTimeout = b.requestTimeout;
        this.initialBackoffNanos = b.initialBackoff.toNanos();
        this.maxBackoffNanos = b.maxBackoff.toNanos();
        this.shutdownTimeout = b.shutdownTimeout;
        this.worker = new Thread(this::run, "gatehouse-posthog-forwarder");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /** A builder; {@code host} is PostHog's base URL, e.g. {@code https://us.i.posthog.com}. */
    public static Builder builder(URI host) {
        return new Builder(host);
    }

    /** The URL batches go to. */
    public URI batchUri() {
        return batchUri;
    }

    /** Queues the events, dropping the oldest beyond the capacity; refuses them once closing. */
    @Override
    public Admission offer(List<CspEvent> events) {
        int dropped = 0;
        lock.lock();
        try {
            if (closing) {
                return Admission.refused("the forwarder is closed");
            }
            for (CspEvent e : events) {
                if (queue.size() == capacity) {
                    queue.pollFirst();
                    dropped++;
                }
                queue.addLast(e);
            }
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
        if (dropped > 0) {
            metrics.get().dropped(dropped);
        }
        return Admission.accepted();
    }

    @Override
    public void bindTo(SinkMetrics m) {
        metrics.bind(m, this);
    }

    /** Events waiting or in flight. */
    public int pending() {
        lock.lock();
        try {
            return queue.size() + inFlight;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until every accepted event is delivered (or given up), at most {@code timeout}.
     *
     * @return true when nothing is pending
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (queue.size() + inFlight > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                idle.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closing) {
                return;
            }
            closing = true;
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
        boolean drained;
        try {
            drained = awaitIdle(shutdownTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drained = false;
        }
        lock.lock();
        try {
            stopped = true;
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
        worker.interrupt();
        try {
            worker.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lock.lock();
        try {
            int lost = queue.size() + inFlight;
            if (!drained || lost > 0) {
                metrics.get().failed(lost);
                LOG.log(System.Logger.Level.ERROR, "PostHog forwarder stopped with " + lost
                        + " undelivered events after " + shutdownTimeout);
            }
            queue.clear();
            inFlight = 0;
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (true) {
            List<CspEvent> batch;
            lock.lock();
            try {
                while (queue.isEmpty() && !stopped) {
                    if (closing) {
                        idle.signalAll();
                    }
                    notEmpty.await();
                }
                if (stopped) {
                    return;
                }
                batch = takeBatch();
                inFlight = batch.size();
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            boolean done = deliver(batch);
            lock.lock();
            try {
                if (done) {
                    inFlight = 0;
                }
                if (queue.isEmpty() && inFlight == 0) {
                    idle.signalAll();
                }
            } finally {
                lock.unlock();
            }
            if (!done) {
                return;
            }
        }
    }

    /** The first event and up to {@code batchSize - 1} more of the same token, in order. */
    private List<CspEvent> takeBatch() {
        List<CspEvent> batch = new ArrayList<>(Math.min(batchSize, queue.size()));
        CspEvent first = queue.pollFirst();
        batch.add(first);
        Iterator<CspEvent> it = queue.iterator();
        while (it.hasNext() && batch.size() < batchSize) {
            CspEvent e = it.next();
            if (e.token().equals(first.token())) {
                batch.add(e);
                it.remove();
            }
        }
        return batch;
    }

    /** Sends until success or a 4xx; false when interrupted (shutdown deadline). */
    private boolean deliver(List<CspEvent> batch) {
        byte[] body;
        try {
            body = batchBody(batch);
        } catch (IOException e) {
            metrics.get().failed(batch.size());
            return true;
        }
        HttpRequest request = HttpRequest.newBuilder(batchUri)
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        long backoff = initialBackoffNanos;
        for (int attempt = 1; ; attempt++) {
            String problem;
            try {
                HttpResponse<Void> r = client.send(request, HttpResponse.BodyHandlers.discarding());
                int status = r.statusCode();
                if (status / 100 == 2) {
                    metrics.get().delivered(batch.size());
                    return true;
                }
                if (status / 100 == 4) {
                    metrics.get().failed(batch.size());
                    LOG.log(System.Logger.Level.ERROR, "PostHog refused a batch of " + batch.size()
                            + " events with HTTP " + status + "; not retried");
                    return true;
                }
                problem = "HTTP " + status;
            } catch (IOException e) {
                problem = e.getClass().getSimpleName();
            } catch (InterruptedException e) {
                return false;
            }
            metrics.get().retried();
            if (attempt == 1 || attempt % 10 == 0) {
                LOG.log(System.Logger.Level.WARNING, "PostHog batch delivery failed (" + problem + "), attempt "
                        + attempt + "; retrying");
            }
            try {
                TimeUnit.NANOSECONDS.sleep(ThreadLocalRandom.current().nextLong(backoff + 1));
            } catch (InterruptedException e) {
                return false;
            }
            backoff = Math.min(maxBackoffNanos, backoff * 2);
        }
    }

    private static byte[] batchBody(List<CspEvent> batch) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512 * batch.size());
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("api_key", batch.get(0).token());
            g.writeArrayFieldStart("batch");
            for (CspEvent e : batch) {
                e.writeJson(g, false);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return "PostHogForwarder{" + batchUri + ", capacity=" + capacity + ", batchSize=" + batchSize + "}";
    }

    /** Builds a {@link PostHogForwarder}. */
    public static final class Builder {
        private final URI host;
        private @Nullable HttpClient client;
        private int queueCapacity = 10_000;
        private int batchSize = 100;
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Duration initialBackoff = Duration.ofMillis(200);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Duration shutdownTimeout = Duration.ofSeconds(10);

        private Builder(URI host) {
            Objects.requireNonNull(host, "host");
            String scheme = host.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || host.getHost() == null || host.getRawQuery() != null || host.getRawFragment() != null) {
                throw new IllegalArgumentException("POSTHOG_HOST must be an http(s) URL without query: " + host);
            }
            this.host = host;
        }

        /** The HTTP client (default: a new {@code HttpClient} with the request timeout as connect timeout). */
        public Builder httpClient(HttpClient client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /** Events held at most; the oldest is dropped beyond (default 10000). */
        public Builder queueCapacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("queueCapacity must be positive: " + capacity);
            }
            this.queueCapacity = capacity;
            return this;
        }

        /** Events per batch request at most (default 100). */
        public Builder batchSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("batchSize must be positive: " + size);
            }
            this.batchSize = size;
            return this;
        }

        /** Timeout of one request, a hanging PostHog included (default 10 s). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        /** First retry delay bound; doubles per attempt up to {@link #maxBackoff} (default 200 ms). */
        public Builder initialBackoff(Duration backoff) {
            this.initialBackoff = positive(backoff, "initialBackoff");
            return this;
        }

        /** Largest retry delay bound (default 30 s). */
        public Builder maxBackoff(Duration backoff) {
            this.maxBackoff = positive(backoff, "maxBackoff");
            return this;
        }

        /** How long {@link PostHogForwarder#close()} keeps delivering (default 10 s). */
        public Builder shutdownTimeout(Duration timeout) {
            this.shutdownTimeout = positive(timeout, "shutdownTimeout");
            return this;
        }

        private static Duration positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + d);
            }
            return d;
        }

        /** Starts the forwarder's thread. */
        public PostHogForwarder build() {
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                maxBackoff = initialBackoff;
            }
            return new PostHogForwarder(this);
        }
    }
}
