package io.gatehouse.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) in a child JVM, built from
 * Apache Kafka's own artifacts on the test class path and bound to {@code 127.0.0.1} on free ports.
 * Tests start one per class, can stop it ({@code SIGTERM}) or kill it ({@code SIGKILL}) and start it
 * again on the same ports and log directory, and read a topic back exactly.
 *
 * <p>Shared with the demo's tests through this module's test-jar; a module using it needs
 * {@code org.apache.kafka:kafka_2.13} on its test class path.
 */
public final class KafkaBroker implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    /**
     * The broker JVM's options for tests: the client (C1) compiler only, which halves the start-up
     * time on a small, shared machine (about 9 s instead of 18 s on two busy cores).
     */
    public static final List<String> TEST_JVM = List.of("-XX:TieredStopAtLevel=1");

    private final Path dir;
    private final List<String> jvmOptions;
    private final Path properties;
    private final String clusterId = Uuid.randomUuid().toString();
    private final int port;
    private Process process;
    private Path output;
    private int starts;

    private KafkaBroker(Path dir, List<String> jvmOptions) throws IOException {
        this.dir = dir;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.port = freePort();
        int controllerPort = freePort();
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", dir.resolve("logs").toString());
        p.setProperty("num.partitions", "3");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // Two shared cores: few threads.
        p.setProperty("num.network.threads", "2");
        p.setProperty("num.io.threads", "2");
        p.setProperty("background.threads", "2");
        p.setProperty("num.recovery.threads.per.data.dir", "1");
        p.setProperty("log.cleaner.threads", "1");
        this.properties = dir.resolve("server.properties");
        try (Writer w = Files.newBufferedWriter(properties, StandardCharsets.UTF_8)) {
            p.store(w, "gatehouse test broker");
        }
    }

    /**
     * Formats a log directory under {@code dir} and starts the broker; returns once it serves requests.
     *
     * @param dir an empty directory owned by the test (log directory, properties, process output)
     * @return the running broker
     * @throws IOException when the process cannot be started
     * @throws InterruptedException when interrupted while waiting for it
     */
    public static KafkaBroker start(Path dir) throws IOException, InterruptedException {
        return start(dir, TEST_JVM);
    }

    /**
     * Like {@link #start(Path)}, with the broker JVM's own options (e.g. none, for full speed in a
     * benchmark).
     *
     * @param dir an empty directory owned by the caller
     * @param jvmOptions options for the broker's {@code java} command
     * @return the running broker
     * @throws IOException when the process cannot be started
     * @throws InterruptedException when interrupted while waiting for it
     */
    public static KafkaBroker start(Path dir, List<String> jvmOptions) throws IOException, InterruptedException {
        KafkaBroker b = new KafkaBroker(dir, jvmOptions);
        try {
            b.launch();
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            b.close();
            throw e;
        }
        return b;
    }

    /** {@code 127.0.0.1:port}: the value for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The broker's client port (the same after a restart). */
    public int port() {
        return port;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void launch() throws IOException, InterruptedException {
        starts++;
        output = dir.resolve("broker-" + starts + ".out");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xms128m", "-Xmx512m", "-XX:+UseSerialGC"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), KafkaBrokerMain.class.getName(),
                properties.toString(), clusterId));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectErrorStream(true);
        pb.redirectOutput(output.toFile());
        process = pb.start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Files.readString(output, StandardCharsets.UTF_8).contains(KafkaBrokerMain.STARTED)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the broker exited with " + process.exitValue() + ": " + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the broker did not start within " + START_TIMEOUT + ": " + tail());
            }
            process.waitFor(50, TimeUnit.MILLISECONDS);
        }
    }

    /** The end of the broker's output, for failure messages. */
    public String tail() {
        try {
            String s = Files.readString(output, StandardCharsets.UTF_8);
            return s.length() > 4000 ? "…" + s.substring(s.length() - 4000) : s;
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** Whether the broker process runs. */
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * Stops the broker with {@code SIGTERM} (a clean shutdown) and waits for the process to end.
     *
     * @throws InterruptedException when interrupted while waiting
     */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /**
     * Kills the broker with {@code SIGKILL} (a crash: no shutdown at all) and waits for it to end.
     *
     * @throws InterruptedException when interrupted while waiting
     */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /**
     * Starts the broker again, on the same ports and log directory, after {@link #stop()} or {@link #kill()}.
     *
     * @throws IOException when the process cannot be started
     * @throws InterruptedException when interrupted while waiting for it
     */
    public void restart() throws IOException, InterruptedException {
        if (isRunning()) {
            throw new IllegalStateException("the broker still runs");
        }
        launch();
    }

    /** An admin client for this broker; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    /**
     * Creates {@code topic} with {@code partitions} partitions (replication factor 1) and waits for it.
     *
     * @param topic the topic name
     * @param partitions the number of partitions
     * @throws Exception when the broker refuses
     */
    public void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Every record of {@code topic}, read from the beginning of each partition to its current end
     * (no consumer group): after the producers have flushed, this is exactly what the topic holds.
     *
     * @param topic the topic
     * @param timeout the longest the read may take
     * @return the records, partition by partition, in offset order
     */
    public List<ConsumerRecord<String, String>> readAll(String topic, Duration timeout) {
        Properties p = new Properties();
        p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.setProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo pi : c.partitionsFor(topic, timeout)) {
                parts.add(new TopicPartition(topic, pi.partition()));
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, timeout);
            List<ConsumerRecord<String, String>> out = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!parts.stream().allMatch(tp -> c.position(tp, timeout) >= end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end " + end + " in " + timeout);
                }
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }
    }

    /**
     * Waits until {@code topic} holds at least {@code count} records (the sum of its partitions' end
     * offsets), then {@linkplain #readAll reads all of them}.
     *
     * @param topic the topic
     * @param count how many records to wait for
     * @param timeout the longest to wait
     * @return every record of the topic (possibly more than {@code count})
     */
    public List<ConsumerRecord<String, String>> awaitRecords(String topic, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Properties p = new Properties();
        p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo pi : c.partitionsFor(topic, timeout)) {
                parts.add(new TopicPartition(topic, pi.partition()));
            }
            long seen;
            while ((seen = c.endOffsets(parts, timeout).values().stream().mapToLong(Long::longValue).sum()) < count) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(topic + " holds " + seen + " records, not " + count + ", after " + timeout);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
        return readAll(topic, timeout);
    }

    /** Kills the broker if it runs. The directory stays, for the test's cleanup. */
    @Override
    public void close() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "KafkaBroker{" + bootstrapServers() + ", " + (isRunning() ? "running" : "stopped") + "}";
    }

    /** Reads the whole output, e.g. for a failure message. */
    String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
