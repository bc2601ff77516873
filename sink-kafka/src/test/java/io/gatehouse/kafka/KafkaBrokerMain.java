package io.gatehouse.kafka;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.utils.Time;

/**
 * The main class of the broker process that {@link KafkaBroker} starts: formats the log directory
 * the first time (KRaft needs a cluster id written before the first start), then runs a combined
 * broker and controller until {@code SIGTERM}, which shuts it down cleanly. Prints
 * {@value #STARTED} on standard output once it serves requests.
 *
 * <p>Arguments: the {@code server.properties} file and the cluster id.
 */
public final class KafkaBrokerMain {
    /** The line printed when the broker is up. */
    public static final String STARTED = "gatehouse-test-broker started";

    private KafkaBrokerMain() {
    }

    /**
     * Formats (once) and runs the broker.
     *
     * @param args the properties file and the cluster id
     * @throws Exception when the broker cannot start
     */
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            props.load(in);
        }
        Path logDir = Path.of(props.getProperty("log.dirs"));
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            int rc = StorageTool.execute(new String[] {"format", "-t", args[1], "-c", file.toString()}, System.out);
            if (rc != 0) {
                System.err.println("formatting " + logDir + " failed: " + rc);
                System.exit(3);
            }
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown, "broker-shutdown"));
        try {
            server.startup();
        } catch (Throwable t) {
            t.printStackTrace();
            Runtime.getRuntime().halt(4);
        }
        System.out.println(STARTED);
        System.out.flush();
        server.awaitShutdown();
    }
}
