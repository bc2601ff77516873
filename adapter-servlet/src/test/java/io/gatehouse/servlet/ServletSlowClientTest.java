package io.gatehouse.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.Gatehouse;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.conformance.AdapterConformanceTest;
import io.gatehouse.csp.sink.CspEvent;
import io.gatehouse.csp.sink.CspEventSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Slow report bodies on embedded Tomcat 11 with two request threads: read without holding a
 * thread, and cut off (408, connection closed) at GATEHOUSE_READ_TIMEOUT_SECONDS.
 */
@Timeout(60)
class ServletSlowClientTest {
    private static final String BODY = "{\"csp-report\": {\"document-uri\": \"https://a.example/\"}}";
    private static final String HEAD = "POST /report/?token=t HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Content-Type: application/csp-report\r\nContent-Length: " + BODY.length() + "\r\n\r\n";

    private EmbeddedTomcat tomcat;
    private final List<CspEvent> events = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() throws Exception {
        Gatehouse g = Gatehouse.builder(GatehouseConfig.fromEnvironment(Map.of("TEST", "1",
                "GATEHOUSE_READ_TIMEOUT_SECONDS", "2")), CspEventSink.consuming(events::addAll)).build();
        tomcat = EmbeddedTomcat.start(new GatehouseFilter(g),
                new ConformanceServlet(new AdapterConformanceTest.App()), 2, AdapterConformanceTest.Listen.DEFAULT, 2);
    }

    @AfterEach
    void stop() {
        tomcat.close();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", tomcat.base().getPort());
        s.setSoTimeout(10_000);
        return s;
    }

    /** Reads what the server sends until it closes the connection (or the socket's timeout passes). */
    private static String readUntilClosed(Socket s) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[1024];
        try {
            for (int n; (n = in.read(buf)) != -1; ) {
                got.write(buf, 0, n);
            }
        } catch (SocketTimeoutException stillOpen) {
            return got.toString(StandardCharsets.US_ASCII) + "[still open]";
        } catch (IOException reset) {
            // a reset is a close too
        }
        return got.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void aStalledBodyGets408AndTheConnectionIsClosedAtTheDeadline() throws Exception {
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write((HEAD + BODY.substring(0, 10)).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long start = System.nanoTime();
            String answer = readUntilClosed(s);
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(answer).startsWith("HTTP/1.1 408").doesNotContain("[still open]");
            // Tomcat checks async timeouts about once a second.
            assertThat(seconds).isBetween(1.9, 5.0);
        }
        assertThat(events).isEmpty();
    }

    @Test
    void slowBodiesHoldNoRequestThread() throws Exception {
        // Four clients trickle report bodies (twice the thread pool); a plain request is still
        // answered at once, and each trickled body that completes in time becomes an event.
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                Socket s = connect();
                String head = HEAD.replace("Host: 127.0.0.1\r\n", "Host: 127.0.0.1\r\nConnection: close\r\n");
                s.getOutputStream().write((head + BODY.substring(0, 5)).getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                slow.add(s);
            }
            Thread.sleep(300);
            long start = System.nanoTime();
            try (Socket s = connect()) {
                s.getOutputStream().write("GET /_health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                assertThat(readUntilClosed(s)).startsWith("HTTP/1.1 200").endsWith("ok");
            }
            assertThat((System.nanoTime() - start) / 1e9).as("seconds to answer while bodies trickle").isLessThan(1.0);
            for (Socket s : slow) {
                s.getOutputStream().write(BODY.substring(5).getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
            }
            for (Socket s : slow) {
                assertThat(readUntilClosed(s)).startsWith("HTTP/1.1 204").doesNotContain("[still open]");
            }
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
        assertThat(events).hasSize(4);
    }
}
