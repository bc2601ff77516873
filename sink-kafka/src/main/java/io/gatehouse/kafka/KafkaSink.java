package io.gatehouse.kafka;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.gatehouse.config.ConfigException;
import io.gatehouse.csp.sink.CspEvent;
import io.gatehouse.csp.sink.Admission;
import io.gatehouse.csp.sink.CspEventSink;
import io.gatehouse.csp.sink.SinkMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes accepted CSP events to a Kafka topic, one record per event: the key is the event's
 * {@code distinct_id} (UTF-8), so one user's events stay in order on one partition, and the value is
 * the event in PostHog's single-event capture shape ({@link CspEvent#writeJson}, with {@code api_key},
 * UTF-8 JSON). Any number of Gatehouse instances may write to the same topic.
 *
 * <p><b>Never blocks the caller.</b> {@link #offer} only counts the events against the capacity and
 * queues them; one sender thread serialises them and calls {@link KafkaProducer#send}, which may
 * itself wait (for the topic's metadata, or for room in the producer's buffer) without holding up a
 * request. The capacity bounds the events accepted but not yet acknowledged by the broker (queued,
 * in the producer's buffer, or in flight): an offer that would exceed it is refused, so the endpoint
 * answers 503 and the browser sends the report again, instead of an accepted event being dropped.
 *
 * <p><b>Loses nothing it accepted</b> while the broker is away for less than the delivery timeout
 * (five minutes by default): the producer is idempotent with {@code acks=all}, so it retries with
 * back-off without writing an event twice. Each acknowledged event counts as delivered in the
 * {@link SinkMetrics} the endpoint binds, each repeated attempt as a retry, each event given up on as
 * failed (and logged). {@link #close()} sends everything accepted and waits for the broker up to the
 * close timeout, then logs how many events it could not deliver.
 *
 * <p>Made with {@link #builder()} or {@link #fromEnvironment(Map)}; thread-safe. Its
 * {@link #toString()} shows no secret.
 */
public final class KafkaSink implements CspEventSink {
    /** Environment variable: the brokers, {@code host:port[,host:port…]}; the sink is used when it is set. */
    public static final String BOOTSTRAP_SERVERS_ENV = "GATEHOUSE_KAFKA_BOOTSTRAP_SERVERS";
    /** Environment variable: the topic (default {@value KafkaSettings#DEFAULT_TOPIC}). */
    public static final String TOPIC_ENV = "GATEHOUSE_KAFKA_TOPIC";
    /** Environment variable: accepted events that may wait for the broker (default 20000). */
    public static final String CAPACITY_ENV = "GATEHOUSE_KAFKA_CAPACITY";
    /** Environment variable: how long {@link #close()} waits for the broker, in ms (default 30000). */
    public static final String CLOSE_TIMEOUT_ENV = "GATEHOUSE_KAFKA_CLOSE_TIMEOUT_MS";
    /**
     * Prefix of environment variables that set any producer property: the rest of the name, lower
     * case, with {@code _} for {@code .}, e.g. {@code GATEHOUSE_KAFKA_PRODUCER_SECURITY_PROTOCOL=SSL}
     * sets {@code security.protocol}.
     */
    public static final String PRODUCER_ENV_PREFIX = "GATEHOUSE_KAFKA_PRODUCER_";
    /** The topic when none is set. */
    public static final String DEFAULT_TOPIC = KafkaSettings.DEFAULT_TOPIC;

    private static final System.Logger LOG = System.getLogger(KafkaSink.class.getName());
    private static final JsonFactory JSON = new JsonFactory();
    /** How long the busy sender waits between looks at the queue (offers do not wake it then). */
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Empty looks in a row (about 100 ms) after which the sender sleeps until an offer wakes it. */
    private static final int IDLE_CHECKS = 100;
    /** How long the idle sender sleeps before looking at the queue again, if nobody wakes it. */
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** How often the producer's retry count is copied into the metrics. */
    private static final long RETRY_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final KafkaSettings settings;
    private final Producer<byte[], byte[]> producer;
    private final Queue<List<CspEvent>> queue = new ConcurrentLinkedQueue<>();
    /** Accepted events not yet acknowledged or given up on. */
    private final AtomicInteger outstanding = new AtomicInteger();
    /** Offers between their closed check and their enqueue; close() waits for them. */
    private final AtomicInteger offering = new AtomicInteger();
    private final AtomicLong failures = new AtomicLong();
    private final Thread sender;
    private volatile SinkMetrics metrics = SinkMetrics.NONE;
    private volatile boolean closing;
    /** Set by close() once no offer can enqueue any more: the sender drains and stops. */
    private volatile boolean draining;
    /** Set by close() at its deadline: the sender stops retrying what it could not hand to the producer. */
    private volatile boolean giveUp;
    private volatile boolean senderParked;
    private volatile boolean closed;
    /** Set by close() when it counts what is left: a straggling sender must not count it again. */
    private volatile boolean settled;

    // The sender thread's own state.
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(2048);
    private boolean inSend;
    private Exception sendFailure;
    private Metric retryMetric;
    private long retriesReported;
    private long lastRetryPoll;

    private KafkaSink(KafkaSettings settings, Producer<byte[], byte[]> producer) {
        this.settings = settings;
        this.producer = producer;
        this.sender = new Thread(this::run, "gatehouse-kafka-sender");
        this.sender.setDaemon(true);
        this.sender.start();
    }

    /** A builder; {@link Builder#bootstrapServers} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A sink configured from the environment: {@value #BOOTSTRAP_SERVERS_ENV} (required),
     * {@value #TOPIC_ENV}, {@value #CAPACITY_ENV}, {@value #CLOSE_TIMEOUT_ENV}, and any producer
     * property through {@value #PRODUCER_ENV_PREFIX}{@code <NAME>}. Any other variable starting with
     * {@code GATEHOUSE_KAFKA_} is a mistake and reported.
     *
     * @param env the environment, e.g. {@link System#getenv()}
     * @return the running sink
     * @throws ConfigException listing every problem, each naming its variable, without secret values
     */
    public static KafkaSink fromEnvironment(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        Map<String, String> producer = new LinkedHashMap<>();
        Map<String, String> labels = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            String name = e.getKey();
            if (name.startsWith(PRODUCER_ENV_PREFIX)) {
                String property = name.substring(PRODUCER_ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
                if (property.isEmpty()) {
                    problems.add(name + ": expected a producer property after " + PRODUCER_ENV_PREFIX);
                    continue;
                }
                producer.put(property, e.getValue());
                labels.put(property, name);
            } else if (name.startsWith("GATEHOUSE_KAFKA_") && !name.equals(BOOTSTRAP_SERVERS_ENV)
                    && !name.equals(TOPIC_ENV) && !name.equals(CAPACITY_ENV) && !name.equals(CLOSE_TIMEOUT_ENV)) {
                problems.add(ConfigException.quote(name) + " is not a Gatehouse Kafka setting (expected " + BOOTSTRAP_SERVERS_ENV
                        + ", " + TOPIC_ENV + ", " + CAPACITY_ENV + ", " + CLOSE_TIMEOUT_ENV + " or "
                        + PRODUCER_ENV_PREFIX + "<PROPERTY>)");
            }
        }
        KafkaSettings s = KafkaSettings.validate(new KafkaSettings.Input(env.get(BOOTSTRAP_SERVERS_ENV),
                BOOTSTRAP_SERVERS_ENV, env.get(TOPIC_ENV), TOPIC_ENV, env.get(CAPACITY_ENV), CAPACITY_ENV,
                env.get(CLOSE_TIMEOUT_ENV), CLOSE_TIMEOUT_ENV, producer, labels, problems));
        return start(s, BOOTSTRAP_SERVERS_ENV);
    }

    private static KafkaSink start(KafkaSettings s, String bootstrapLabel) {
        KafkaProducer<byte[], byte[]> producer;
        try {
            producer = new KafkaProducer<>(s.producer, new ByteArraySerializer(), new ByteArraySerializer());
        } catch (KafkaException e) {
            // Kafka checks some settings only here (resolvable bootstrap servers, key stores, SASL).
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            String message = String.valueOf(root.getMessage());
            for (Map.Entry<String, Object> p : s.producer.entrySet()) {
                message = KafkaSettings.hide(message, String.valueOf(p.getValue()), KafkaSettings.isSecret(p.getKey()));
            }
            String where = message.contains("bootstrap") ? bootstrapLabel : "the Kafka producer settings";
            throw new ConfigException(List.of(where + ": the Kafka producer cannot be created ("
                    + root.getClass().getSimpleName() + ": " + message + ")"));
        }
        return new KafkaSink(s, producer);
    }

    /**
     * Reports deliveries, retries and failures to {@code metrics} from now on.
     *
     * @throws IllegalStateException if the sink already reports to other metrics
     */
    @Override
    public synchronized void bindTo(SinkMetrics metrics) {
        Objects.requireNonNull(metrics, "metrics");
        if (this.metrics != SinkMetrics.NONE && this.metrics != metrics) {
            throw new IllegalStateException("KafkaSink already reports to another endpoint's counters;"
                    + " give each endpoint a sink of its own");
        }
        this.metrics = metrics;
    }

    /**
     * Takes the events if they fit in the capacity, queueing them for the sender thread; refuses them
     * all otherwise, or when the sink is closing. Never blocks.
     */
    @Override
    public Admission offer(List<CspEvent> events) {
        int n = events.size();
        offering.incrementAndGet();
        try {
            if (closing) {
                return Admission.refused("the Kafka sink is closed");
            }
            int now;
            do {
                now = outstanding.get();
                if (now + n > settings.capacity) {
                    return Admission.refused("the Kafka sink is full: " + now + " events wait for the broker");
                }
            } while (!outstanding.compareAndSet(now, now + n));
            queue.add(events);
        } finally {
            offering.decrementAndGet();
        }
        if (senderParked) {
            LockSupport.unpark(sender);
        }
        return Admission.accepted();
    }

    /** Accepted events not yet acknowledged by the broker (nor given up on). */
    public int outstanding() {
        return outstanding.get();
    }

    /** The most events that may wait for the broker; offers beyond it are refused. */
    public int capacity() {
        return settings.capacity;
    }

    /** The topic written to. */
    public String topic() {
        return settings.topic;
    }

    private void run() {
        int idle = 0;
        while (true) {
            List<CspEvent> events = queue.poll();
            if (events == null) {
                pollRetries(false);
                if (draining && queue.isEmpty()) {
                    return;
                }
                if (idle < IDLE_CHECKS) {
                    // Busy: look again in a millisecond, unwoken, so that offers never pay for waking
                    // this thread (a wake-up per request costs more than sending the event).
                    idle++;
                    LockSupport.parkNanos(this, LINGER_NANOS);
                } else {
                    // Quiet for a while: sleep until an offer wakes us.
                    senderParked = true;
                    if (queue.isEmpty() && !draining) {
                        LockSupport.parkNanos(this, IDLE_PARK_NANOS);
                    }
                    senderParked = false;
                }
                continue;
            }
            idle = 0;
            for (CspEvent e : events) {
                send(e);
            }
            pollRetries(false);
        }
    }

    /** Hands one event to the producer, trying again while the producer cannot take it yet. */
    private void send(CspEvent e) {
        ProducerRecord<byte[], byte[]> record;
        try {
            record = new ProducerRecord<>(settings.topic, e.distinctId().getBytes(StandardCharsets.UTF_8), json(e));
        } catch (IOException | RuntimeException ex) {
            gaveUp(1, ex);
            return;
        }
        long backoffMs = 100;
        while (true) {
            sendFailure = null;
            inSend = true;
            try {
                producer.send(record, callback);
            } catch (KafkaException | IllegalStateException ex) {
                sendFailure = ex;
            } finally {
                inSend = false;
            }
            Exception f = sendFailure;
            if (f == null) {
                return;
            }
            // Failed before anything was sent: no metadata for the topic yet, or the producer's buffer
            // is full. Nothing can be written twice, so try again until close() gives up.
            if (!(f instanceof RetriableException) || giveUp) {
                gaveUp(1, f);
                return;
            }
            metrics.retried();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoffMs));
            backoffMs = Math.min(1000, backoffMs * 2);
        }
    }

    /** Called by the producer for every record, on its own thread (or on the sender's, for a failure inside send). */
    private final Callback callback = new Callback() {
        @Override
        public void onCompletion(RecordMetadata metadata, Exception exception) {
            if (exception != null && inSend && Thread.currentThread() == sender) {
                sendFailure = exception; // send() decides: retry or give up
                return;
            }
            if (exception == null) {
                outstanding.decrementAndGet();
                metrics.delivered(1);
            } else {
                gaveUp(1, exception);
            }
        }
    };

    private void gaveUp(int events, Throwable why) {
        if (settled) {
            return;
        }
        outstanding.addAndGet(-events);
        metrics.failed(events);
        long n = failures.addAndGet(events);
        // The first failure, then one line per thousand: an outage must not flood the log.
        if (n == events || n / 1000 != (n - events) / 1000) {
            LOG.log(System.Logger.Level.ERROR, "Kafka sink gave up on " + events + " CSP event(s) for topic "
                    + settings.topic + " (" + n + " in all): " + why);
        }
    }

    private byte[] json(CspEvent e) throws IOException {
        buffer.reset();
        try (JsonGenerator g = JSON.createGenerator(buffer, JsonEncoding.UTF8)) {
            e.writeJson(g, true);
        }
        return buffer.toByteArray();
    }

    /** Copies the producer's count of retried records into the metrics, every half second or when asked. */
    private void pollRetries(boolean now) {
        long t = System.nanoTime();
        if (!now && t - lastRetryPoll < RETRY_POLL_NANOS) {
            return;
        }
        lastRetryPoll = t;
        if (retryMetric == null) {
            for (Map.Entry<MetricName, ? extends Metric> m : producer.metrics().entrySet()) {
                if (m.getKey().name().equals("record-retry-total") && m.getKey().group().equals("producer-metrics")) {
                    retryMetric = m.getValue();
                }
            }
            if (retryMetric == null) {
                return;
            }
        }
        Object v = retryMetric.metricValue();
        if (v instanceof Number num) {
            long total = num.longValue();
            SinkMetrics m = metrics;
            for (long i = retriesReported; i < total; i++) {
                m.retried();
            }
            retriesReported = Math.max(retriesReported, total);
        }
    }

    /**
     * Refuses further offers, hands everything accepted to the producer and waits for the broker to
     * acknowledge it, up to the close timeout in all; then closes the producer. Events still
     * unacknowledged at the deadline are counted as failed and logged. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        long deadline = System.nanoTime() + settings.closeTimeout.toNanos();
        closing = true;
        while (offering.get() != 0) {
            Thread.onSpinWait(); // an offer that saw "open" finishes enqueueing in a moment
        }
        draining = true;
        LockSupport.unpark(sender);
        try {
            sender.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (sender.isAlive()) {
                giveUp = true;
                sender.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())) + 1_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            giveUp = true;
        }
        // Waits for what is in flight up to the deadline, then fails the rest (through the callback).
        producer.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        try {
            sender.join(1_000); // with the producer closed, whatever it still held fails at once
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!sender.isAlive()) {
            pollRetries(true);
        }
        settled = true;
        int left = outstanding.get();
        if (left > 0) {
            // Never handed to the producer (the sender was still waiting for the broker).
            outstanding.addAndGet(-left);
            metrics.failed(left);
            failures.addAndGet(left);
        }
        long lost = failures.get();
        if (lost > 0) {
            LOG.log(System.Logger.Level.ERROR, "Kafka sink closed: " + lost + " accepted CSP event(s) were not delivered to "
                    + settings.topic + " at " + settings.bootstrapServers + " (" + left
                    + " never handed to the producer, the rest refused or unacknowledged by the broker)");
        }
    }

    /** The brokers, topic, capacity and load, and the producer properties set by the caller, secrets hidden. */
    @Override
    public String toString() {
        return "KafkaSink{bootstrap.servers=" + settings.bootstrapServers + ", topic=" + settings.topic + ", capacity="
                + settings.capacity + ", outstanding=" + outstanding.get() + ", producer="
                + settings.shownProducerProperties() + (closing ? ", closed" : "") + "}";
    }

    /** Builds a {@link KafkaSink}; every setting is checked at {@link #build()}. */
    public static final class Builder {
        private String bootstrapServers;
        private String topic;
        private String capacity;
        private String closeTimeoutMs;
        private final Map<String, String> producer = new LinkedHashMap<>();
        private final Map<String, String> labels = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * The brokers to start from, {@code host:port[,host:port…]}. Required.
         *
         * @param servers e.g. {@code kafka-1:9092,kafka-2:9092}
         * @return this
         */
        public Builder bootstrapServers(String servers) {
            this.bootstrapServers = servers;
            return this;
        }

        /**
         * The topic (default {@value KafkaSettings#DEFAULT_TOPIC}); it should exist, with the
         * partitions and replication the site needs.
         *
         * @param topic a Kafka topic name
         * @return this
         */
        public Builder topic(String topic) {
            this.topic = topic;
            return this;
        }

        /**
         * The most accepted events that may wait for the broker's acknowledgement (default 20000);
         * offers beyond it are refused (503). Each waiting event holds its properties in memory,
         * typically one to two kilobytes.
         *
         * @param events from 1 to 10,000,000
         * @return this
         */
        public Builder capacity(int events) {
            this.capacity = String.valueOf(events);
            return this;
        }

        /**
         * How long {@link KafkaSink#close()} waits for the broker to acknowledge what was accepted
         * (default 30 s).
         *
         * @param timeout from 0 to one hour
         * @return this
         */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeoutMs = String.valueOf(timeout.toMillis());
            return this;
        }

        /**
         * Any Kafka producer property, e.g. {@code security.protocol=SASL_SSL} or
         * {@code sasl.jaas.config}; overrides Gatehouse's defaults. The serializers,
         * {@code bootstrap.servers} and {@code transactional.id} are the sink's own;
         * {@code acks} must stay {@code all} and {@code enable.idempotence} {@code true}.
         *
         * @param name the property
         * @param value its value
         * @return this
         */
        public Builder producerProperty(String name, String value) {
            Objects.requireNonNull(name, "name");
            producer.put(name, value);
            labels.put(name, "producerProperty(" + ConfigException.quote(name) + ")");
            return this;
        }

        /**
         * Checks every setting and starts the sink (its producer connects lazily, so a broker that
         * is down now does not fail this).
         *
         * @return the running sink
         * @throws ConfigException listing every problem, without secret values
         */
        public KafkaSink build() {
            KafkaSettings s = KafkaSettings.validate(new KafkaSettings.Input(bootstrapServers, "bootstrapServers",
                    topic, "topic", capacity, "capacity", closeTimeoutMs, "closeTimeout", producer, labels, List.of()));
            return start(s, "bootstrapServers");
        }
    }
}
