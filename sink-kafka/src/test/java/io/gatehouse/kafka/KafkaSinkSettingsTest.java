package io.gatehouse.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.config.ConfigException;
import io.gatehouse.csp.sink.CspEvent;
import io.gatehouse.csp.sink.Admission;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Configuration from the environment and the builder, its error messages, and refusals without a broker. */
class KafkaSinkSettingsTest {
    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " username=\"gatehouse\" password=\"hunter2-kafka-secret\";";

    private static int deadPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort(); // nothing listens there once the socket is closed
        }
    }

    static CspEvent event(String distinctId, int n) {
        return new CspEvent("phc_test", distinctId, Instant.parse("2026-12-02T10:00:00Z").plusMillis(n),
                Map.of("n", n));
    }

    @Test
    void environmentSetsTopicCapacityAndAnyProducerPropertyAndHidesSecrets() {
        Map<String, String> env = new HashMap<>();
        env.put("GATEHOUSE_KAFKA_BOOTSTRAP_SERVERS", " 127.0.0.1:1, [::1]:2 ");
        env.put("GATEHOUSE_KAFKA_TOPIC", "csp.events-1");
        env.put("GATEHOUSE_KAFKA_CAPACITY", "1234");
        env.put("GATEHOUSE_KAFKA_CLOSE_TIMEOUT_MS", "0");
        env.put("GATEHOUSE_KAFKA_PRODUCER_LINGER_MS", "20");
        env.put("GATEHOUSE_KAFKA_PRODUCER_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
        env.put("GATEHOUSE_KAFKA_PRODUCER_SASL_MECHANISM", "PLAIN");
        env.put("GATEHOUSE_KAFKA_PRODUCER_SASL_JAAS_CONFIG", JAAS);
        env.put("PATH", "/usr/bin"); // other variables are not Gatehouse's business
        try (KafkaSink sink = KafkaSink.fromEnvironment(env)) {
            assertThat(sink.topic()).isEqualTo("csp.events-1");
            assertThat(sink.capacity()).isEqualTo(1234);
            assertThat(sink.toString())
                    .contains("bootstrap.servers=127.0.0.1:1,[::1]:2", "topic=csp.events-1", "capacity=1234",
                            "linger.ms=20", "security.protocol=SASL_PLAINTEXT", "sasl.jaas.config=[hidden]")
                    .doesNotContain("hunter2", "PlainLoginModule");
        }
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        KafkaSettings s = KafkaSettings.validate(new KafkaSettings.Input("kafka:9092", "B", null, "T", null, "C",
                null, "D", Map.of(), Map.of(), List.of()));
        assertThat(s.topic).isEqualTo("gatehouse_csp_events").isEqualTo(KafkaSink.DEFAULT_TOPIC);
        assertThat(s.capacity).isEqualTo(20_000);
        assertThat(s.closeTimeout).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.producer).containsEntry("acks", "all").containsEntry("enable.idempotence", "true")
                .containsEntry("delivery.timeout.ms", "300000").containsEntry("max.block.ms", "5000")
                .containsEntry("compression.type", "lz4").containsEntry("bootstrap.servers", "kafka:9092")
                .containsEntry("key.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
    }

    @Test
    void everyProblemIsListedNamingItsVariableWithoutSecretValues() {
        Map<String, String> env = new HashMap<>();
        env.put("GATEHOUSE_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092,,kafka:http,:9092");
        env.put("GATEHOUSE_KAFKA_TOPIC", "csp events");
        env.put("GATEHOUSE_KAFKA_CAPACITY", "0");
        env.put("GATEHOUSE_KAFKA_CLOSE_TIMEOUT_MS", "soon");
        env.put("GATEHOUSE_KAFKA_TOPICS", "typo");
        env.put("GATEHOUSE_KAFKA_PRODUCER_LINGER_MS", "soon");
        env.put("GATEHOUSE_KAFKA_PRODUCER_LINGER_MSS", "5");
        env.put("GATEHOUSE_KAFKA_PRODUCER_ACKS", "1");
        env.put("GATEHOUSE_KAFKA_PRODUCER_ENABLE_IDEMPOTENCE", "false");
        env.put("GATEHOUSE_KAFKA_PRODUCER_MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION", "10");
        env.put("GATEHOUSE_KAFKA_PRODUCER_VALUE_SERIALIZER", "org.apache.kafka.common.serialization.StringSerializer");
        env.put("GATEHOUSE_KAFKA_PRODUCER_BOOTSTRAP_SERVERS", "other:9092");
        env.put("GATEHOUSE_KAFKA_PRODUCER_SECURITY_PROTOCOL", "TLS");
        env.put("GATEHOUSE_KAFKA_PRODUCER_SSL_TRUSTSTORE_PASSWORD", JAAS);
        assertThatThrownBy(() -> KafkaSink.fromEnvironment(env))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(15))
                .hasMessageContaining("(15 problems)")
                .hasMessageContaining("GATEHOUSE_KAFKA_BOOTSTRAP_SERVERS entry 2 \"\": expected host:port")
                .hasMessageContaining("GATEHOUSE_KAFKA_BOOTSTRAP_SERVERS entry 3 \"kafka:http\"")
                .hasMessageContaining("GATEHOUSE_KAFKA_BOOTSTRAP_SERVERS entry 4 \":9092\"")
                .hasMessageContaining("GATEHOUSE_KAFKA_TOPIC \"csp events\": expected a Kafka topic name")
                .hasMessageContaining("GATEHOUSE_KAFKA_CAPACITY \"0\": expected a whole number of events from 1 to 10000000")
                .hasMessageContaining("GATEHOUSE_KAFKA_CLOSE_TIMEOUT_MS \"soon\": expected milliseconds")
                .hasMessageContaining("\"GATEHOUSE_KAFKA_TOPICS\" is not a Gatehouse Kafka setting")
                .hasMessageContaining("GATEHOUSE_KAFKA_PRODUCER_LINGER_MS \"soon\": Invalid value soon for configuration linger.ms: Not a number of type LONG\n")
                .hasMessageContaining("GATEHOUSE_KAFKA_PRODUCER_LINGER_MSS: \"linger.mss\" is not a Kafka producer property")
                .hasMessageContaining("GATEHOUSE_KAFKA_PRODUCER_ACKS \"1\": must be all")
                .hasMessageContaining("GATEHOUSE_KAFKA_PRODUCER_ENABLE_IDEMPOTENCE \"false\": must be true")
                .hasMessageContaining("GATEHOUSE_KAFKA_PRODUCER_MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION \"10\": must be at most 5")
                .hasMessageContaining("GATEHOUSE_KAFKA_PRODUCER_VALUE_SERIALIZER: value.serializer cannot be set here")
                .hasMessageContaining("GATEHOUSE_KAFKA_PRODUCER_BOOTSTRAP_SERVERS: bootstrap.servers cannot be set here")
                .hasMessageContaining("GATEHOUSE_KAFKA_PRODUCER_SECURITY_PROTOCOL \"TLS\"")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void aMissingBootstrapServerIsNamed() {
        assertThatThrownBy(() -> KafkaSink.fromEnvironment(Map.of("GATEHOUSE_KAFKA_TOPIC", "t")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("GATEHOUSE_KAFKA_BOOTSTRAP_SERVERS is not set: expected host:port");
    }

    @Test
    void aSecretThatKafkaRejectsWhenCreatingTheProducerIsNotShown() {
        // A JAAS line without its closing semicolon: Kafka parses it only when the producer is made.
        Map<String, String> env = Map.of("GATEHOUSE_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1",
                "GATEHOUSE_KAFKA_PRODUCER_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "GATEHOUSE_KAFKA_PRODUCER_SASL_MECHANISM", "PLAIN",
                "GATEHOUSE_KAFKA_PRODUCER_SASL_JAAS_CONFIG", JAAS.substring(0, JAAS.length() - 1));
        assertThatThrownBy(() -> KafkaSink.fromEnvironment(env)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("the Kafka producer cannot be created")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void theBuilderNamesItsMethods() {
        assertThatThrownBy(() -> KafkaSink.builder().topic("").capacity(-1).closeTimeout(Duration.ofHours(2))
                .producerProperty("acks", "0").producerProperty("sasl.jaas.config", JAAS).producerProperty("nope", "x").build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("(6 problems)")
                .hasMessageContaining("bootstrapServers is not set")
                .hasMessageContaining("topic \"\": expected a Kafka topic name")
                .hasMessageContaining("capacity \"-1\"")
                .hasMessageContaining("closeTimeout \"7200000\"")
                .hasMessageContaining("producerProperty(\"acks\") \"0\": must be all")
                .hasMessageContaining("producerProperty(\"nope\"): \"nope\" is not a Kafka producer property")
                .hasMessageNotContaining("hunter2");
    }

    @ParameterizedTest
    @CsvSource({"sasl.jaas.config,true", "ssl.key.password,true", "ssl.keystore.key,true", "ssl.truststore.password,true",
            "sasl.oauthbearer.client.credentials.client.secret,true", "security.protocol,false", "linger.ms,false",
            "partitioner.ignore.keys,false", "ssl.keystore.location,false"})
    void secretPropertiesAreRecognised(String name, boolean secret) {
        assertThat(KafkaSettings.isSecret(name)).isEqualTo(secret);
    }

    /** Without a broker nothing is acknowledged: the capacity fills, then offers are refused, and close() gives up. */
    @Test
    void withoutABrokerTheCapacityFillsThenOffersAreRefusedAndCloseCountsTheLoss() throws Exception {
        CountingMetrics metrics = new CountingMetrics();
        KafkaSink sink = KafkaSink.builder().bootstrapServers("127.0.0.1:" + deadPort()).topic("nowhere").capacity(5)
                .closeTimeout(Duration.ofMillis(300)).build();
        sink.bindTo(metrics);
        assertThat(sink.offer(List.of(event("a", 1), event("a", 2)))).isEqualTo(Admission.accepted());
        assertThat(sink.offer(List.of(event("b", 3), event("b", 4), event("b", 5)))).isEqualTo(Admission.accepted());
        assertThat(sink.outstanding()).isEqualTo(5);
        Admission full = sink.offer(List.of(event("c", 6)));
        assertThat(full).isInstanceOfSatisfying(Admission.Refused.class,
                r -> assertThat(r.reason()).isEqualTo("the Kafka sink is full: 5 events wait for the broker"));
        assertThat(sink.toString()).contains("outstanding=5");
        long t0 = System.nanoTime();
        sink.close();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        assertThat(metrics.failed).hasValue(5);
        assertThat(metrics.delivered).hasValue(0);
        assertThat(metrics.dropped).hasValue(0);
        assertThat(sink.outstanding()).isZero();
        assertThat(sink.offer(List.of(event("d", 7)))).isInstanceOfSatisfying(Admission.Refused.class,
                r -> assertThat(r.reason()).contains("closed"));
        sink.close(); // twice is fine
    }
}
