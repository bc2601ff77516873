package io.gatehouse.kafka;

import io.gatehouse.config.ConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka sink's validated settings: where to (bootstrap servers, topic), how much may wait
 * (capacity), how long {@code close()} waits, and the producer's properties with Gatehouse's defaults
 * under the caller's. Every problem is gathered, each naming the setting as the caller spelled it (an
 * environment variable or a builder method), and secret values never appear in a message or in
 * {@link #toString()}.
 */
final class KafkaSettings {
    /** The topic when none is set. */
    static final String DEFAULT_TOPIC = "gatehouse_csp_events";
    /** Accepted events that may wait for the broker's acknowledgement when none is set. */
    static final int DEFAULT_CAPACITY = 20_000;
    /** The most events a sink may hold: beyond this, memory rather than the broker is the limit. */
    static final int MAX_CAPACITY = 10_000_000;
    /** How long close() waits for the broker when none is set. */
    static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

    /**
     * The producer properties Gatehouse sets, in the order the README explains them. The caller may
     * override any of these except the ones in {@link #FIXED}.
     */
    static final Map<String, String> DEFAULTS;

    static {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(ProducerConfig.ACKS_CONFIG, "all");
        d.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        d.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        d.put(ProducerConfig.RETRIES_CONFIG, String.valueOf(Integer.MAX_VALUE));
        d.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "300000");
        d.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "30000");
        d.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "100");
        d.put(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, "1000");
        d.put(ProducerConfig.RECONNECT_BACKOFF_MS_CONFIG, "50");
        d.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        d.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        d.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        d.put(ProducerConfig.BATCH_SIZE_CONFIG, "65536");
        d.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        d.put(ProducerConfig.CLIENT_ID_CONFIG, "gatehouse-csp");
        DEFAULTS = Map.copyOf(d);
    }

    /** Properties the sink sets itself and nobody may change: why, for the message. */
    private static final Map<String, String> FIXED = Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "set the bootstrap servers with their own setting",
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, "the sink writes the distinct_id as UTF-8 bytes itself",
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, "the sink writes the event's JSON as UTF-8 bytes itself",
            ProducerConfig.TRANSACTIONAL_ID_CONFIG, "the sink uses an idempotent producer, not transactions");

    /** Words in a property's name that mark its value as secret, beside Kafka's own PASSWORD type. */
    private static final List<String> SECRET_WORDS = List.of("password", "secret", "jaas", "credential", "token", "key");

    final String bootstrapServers;
    final String topic;
    final int capacity;
    final Duration closeTimeout;
    /** Every producer property, defaults included, as the producer is given them. */
    final Map<String, Object> producer;
    /** The caller's producer properties (not the defaults), secrets hidden, for toString. */
    private final String shown;

    private KafkaSettings(String bootstrapServers, String topic, int capacity, Duration closeTimeout,
                          Map<String, Object> producer, String shown) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.capacity = capacity;
        this.closeTimeout = closeTimeout;
        this.producer = producer;
        this.shown = shown;
    }

    /** Whether the value of producer property {@code name} must never be shown. */
    static boolean isSecret(String name) {
        ConfigDef.ConfigKey key = ProducerConfig.configDef().configKeys().get(name);
        if (key != null && key.type == ConfigDef.Type.PASSWORD) {
            return true;
        }
        String n = name.toLowerCase(Locale.ROOT);
        for (String w : SECRET_WORDS) {
            // "key" only as a whole segment (ssl.key.password, ssl.keystore.key), not e.g. "partitioner.ignore.keys".
            if (w.equals("key") ? n.endsWith(".key") || n.contains(".key.") : n.contains(w)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The raw inputs and, for each, how the caller named it (for messages).
     *
     * @param bootstrapServers the servers, or null when unset
     * @param bootstrapLabel e.g. {@code GATEHOUSE_KAFKA_BOOTSTRAP_SERVERS}
     * @param topic the topic, or null for the default
     * @param topicLabel its name
     * @param capacity the capacity's text, or null for the default
     * @param capacityLabel its name
     * @param closeTimeoutMs the close timeout's text in milliseconds, or null for the default
     * @param closeTimeoutLabel its name
     * @param producer producer property name → value, in the caller's order
     * @param producerLabels producer property name → how the caller named it
     * @param problems problems found before (e.g. unknown variables), added to
     */
    record Input(String bootstrapServers, String bootstrapLabel, String topic, String topicLabel,
                 String capacity, String capacityLabel, String closeTimeoutMs, String closeTimeoutLabel,
                 Map<String, String> producer, Map<String, String> producerLabels, List<String> problems) {
    }

    /** Validates everything, throwing one {@link ConfigException} that lists every problem. */
    static KafkaSettings validate(Input in) {
        List<String> problems = new ArrayList<>(in.problems());
        String bootstrap = null;
        if (in.bootstrapServers() == null || in.bootstrapServers().isBlank()) {
            problems.add(in.bootstrapLabel() + " is not set: expected host:port[,host:port…] of the Kafka brokers");
        } else {
            bootstrap = bootstrap(in.bootstrapServers(), in.bootstrapLabel(), problems);
        }
        String topic = in.topic() == null ? DEFAULT_TOPIC : in.topic().strip();
        if (!validTopic(topic)) {
            problems.add(in.topicLabel() + " " + ConfigException.quote(in.topic()) + ": expected a Kafka topic name of 1 to 249"
                    + " characters from a-z, A-Z, 0-9, '.', '_' and '-' (other than \".\" and \"..\")");
        }
        int capacity = DEFAULT_CAPACITY;
        if (in.capacity() != null) {
            try {
                capacity = Integer.parseInt(in.capacity().strip());
                if (capacity < 1 || capacity > MAX_CAPACITY) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                problems.add(in.capacityLabel() + " " + ConfigException.quote(in.capacity()) + ": expected a whole number of events"
                        + " from 1 to " + MAX_CAPACITY);
            }
        }
        Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
        if (in.closeTimeoutMs() != null) {
            try {
                long ms = Long.parseLong(in.closeTimeoutMs().strip());
                if (ms < 0 || ms > 3_600_000) {
                    throw new NumberFormatException();
                }
                closeTimeout = Duration.ofMillis(ms);
            } catch (NumberFormatException e) {
                problems.add(in.closeTimeoutLabel() + " " + ConfigException.quote(in.closeTimeoutMs())
                        + ": expected milliseconds from 0 to 3600000");
            }
        }

        Map<String, String> props = new LinkedHashMap<>(DEFAULTS);
        Set<String> known = ProducerConfig.configNames();
        Map<String, String> checked = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : in.producer().entrySet()) {
            String name = e.getKey();
            String value = e.getValue();
            String label = in.producerLabels().getOrDefault(name, name);
            if (!known.contains(name)) {
                problems.add(label + ": " + ConfigException.quote(name) + " is not a Kafka producer property");
            } else if (FIXED.containsKey(name)) {
                problems.add(label + ": " + name + " cannot be set here (" + FIXED.get(name) + ")");
            } else if (value == null) {
                problems.add(label + ": no value");
            } else {
                checked.put(name, value.strip());
            }
        }
        String acks = checked.get(ProducerConfig.ACKS_CONFIG);
        if (acks != null && !acks.equals("all") && !acks.equals("-1")) {
            problems.add(in.producerLabels().get(ProducerConfig.ACKS_CONFIG) + " " + ConfigException.quote(acks)
                    + ": must be all (or -1): an event answered 204 must be on every in-sync replica");
            checked.remove(ProducerConfig.ACKS_CONFIG);
        }
        String idempotence = checked.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG);
        if (idempotence != null && !idempotence.equalsIgnoreCase("true")) {
            problems.add(in.producerLabels().get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG) + " " + ConfigException.quote(idempotence)
                    + ": must be true: retries must not write an event twice");
            checked.remove(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG);
        }
        String inFlight = checked.get(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION);
        if (inFlight != null && inFlight.matches("[0-9]{1,9}") && Integer.parseInt(inFlight) > 5) {
            problems.add(in.producerLabels().get(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION) + " "
                    + ConfigException.quote(inFlight) + ": must be at most 5 with the idempotent producer");
            checked.remove(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION);
        }
        String retries = checked.get(ProducerConfig.RETRIES_CONFIG);
        if (retries != null && retries.strip().equals("0")) {
            problems.add(in.producerLabels().get(ProducerConfig.RETRIES_CONFIG) + " \"0\": must be at least 1"
                    + " with the idempotent producer");
            checked.remove(ProducerConfig.RETRIES_CONFIG);
        }
        props.putAll(checked);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap == null ? "127.0.0.1:9092" : bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());

        // Kafka's own check of every value (types, ranges, enums), reported per property.
        Map<String, ConfigValue> results = ProducerConfig.configDef().validateAll(props);
        for (Map.Entry<String, String> e : checked.entrySet()) {
            ConfigValue v = results.get(e.getKey());
            if (v != null && !v.errorMessages().isEmpty()) {
                String label = in.producerLabels().getOrDefault(e.getKey(), e.getKey());
                String shownValue = isSecret(e.getKey()) ? "(" + e.getValue().length() + " characters)"
                        : ConfigException.quote(e.getValue());
                problems.add(label + " " + shownValue + ": "
                        + hide(v.errorMessages().get(0), e.getValue(), isSecret(e.getKey())));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        StringBuilder shown = new StringBuilder("{");
        for (Map.Entry<String, String> e : new TreeMap<>(checked).entrySet()) {
            if (shown.length() > 1) {
                shown.append(", ");
            }
            shown.append(e.getKey()).append('=').append(isSecret(e.getKey()) ? "[hidden]" : e.getValue());
        }
        return new KafkaSettings(bootstrap, topic, capacity, closeTimeout, Map.copyOf(props), shown.append('}').toString());
    }

    /** {@code message} with {@code value} cut out when it is a secret (Kafka's messages may quote values). */
    static String hide(String message, String value, boolean secret) {
        String m = message == null ? "" : message;
        if (secret && value != null && !value.isEmpty()) {
            m = m.replace(value, "[hidden]");
        }
        StringBuilder sb = new StringBuilder(m.length());
        m.codePoints().forEach(c -> sb.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return sb.toString();
    }

    /** Checks {@code host:port[,host:port…]} and returns it without spaces, or adds problems. */
    private static String bootstrap(String text, String label, List<String> problems) {
        String[] entries = text.split(",", -1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < entries.length; i++) {
            String e = entries[i].strip();
            int colon = e.lastIndexOf(':');
            String host = colon > 0 ? e.substring(0, colon) : "";
            boolean bracketed = host.startsWith("[") && host.endsWith("]") && host.length() > 2;
            boolean hostOk = bracketed || !host.isEmpty() && host.indexOf(':') < 0 && host.chars()
                    .allMatch(c -> c == '.' || c == '-' || c == '_' || Character.isLetterOrDigit(c));
            int port = -1;
            if (colon > 0) {
                try {
                    port = Integer.parseInt(e.substring(colon + 1));
                } catch (NumberFormatException ignored) {
                    // reported below
                }
            }
            if (!hostOk || port < 1 || port > 65535) {
                problems.add(label + " entry " + (i + 1) + " " + ConfigException.quote(e) + ": expected host:port"
                        + " (a host name or address, [ipv6]:port, and a port from 1 to 65535)");
                continue;
            }
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(e);
        }
        return out.toString();
    }

    /** Kafka's rule for topic names. */
    static boolean validTopic(String t) {
        if (t.isEmpty() || t.length() > 249 || t.equals(".") || t.equals("..")) {
            return false;
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** The caller's producer properties, secrets hidden. */
    String shownProducerProperties() {
        return shown;
    }
}
