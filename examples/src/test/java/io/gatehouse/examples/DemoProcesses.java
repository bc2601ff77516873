package io.gatehouse.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.conformance.TestTls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Starts the demo jar as a separate process (and tools beside it) for the integration tests. */
final class DemoProcesses implements AutoCloseable {
    static final Path JAR = Path.of("target", "gatehouse-demo.jar");
    static final Path JAVA_BIN = Path.of(System.getProperty("java.home"), "bin");

    private final Path dir;
    private final List<Process> processes = new ArrayList<>();

    DemoProcesses(Path dir) {
        this.dir = dir;
    }

    /** A started demo: its process, port, and the file its standard error goes to. */
    record Demo(Process process, int port, Path stderrFile) {
        /** What it wrote on standard error so far. */
        String stderr() throws IOException {
            return Files.readString(stderrFile, StandardCharsets.UTF_8);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * Starts the jar with exactly {@code env} (plus {@code PORT}) and waits until it listens. Standard
     * error goes to a file, not a pipe: a reader blocked on a pipe can lose the last lines at exit.
     */
    Demo start(Map<String, String> env) throws Exception {
        int port = freePort();
        Path err = Files.createTempFile(dir, "demo", ".err");
        ProcessBuilder pb = new ProcessBuilder(JAVA_BIN.resolve("java").toString(), "-jar", JAR.toString());
        pb.environment().clear();
        pb.environment().put("PORT", String.valueOf(port));
        pb.environment().putAll(env);
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.redirectError(err.toFile());
        Process p = pb.start();
        processes.add(p);
        Demo d = new Demo(p, port, err);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!d.stderr().contains("gatehouse-demo listening on")) {
            assertThat(p.isAlive()).as("demo exited early: %s", d.stderr()).isTrue();
            assertThat(System.nanoTime()).as("demo did not start: %s", d.stderr()).isLessThan(deadline);
            p.waitFor(50, TimeUnit.MILLISECONDS);
        }
        return d;
    }

    /** Keeps {@code p} to be destroyed (with its descendants) at {@link #close()}. */
    Process track(Process p) {
        processes.add(p);
        return p;
    }

    /** An HTTP client that trusts the test's self-signed certificate and follows no redirect. */
    static HttpClient client() throws Exception {
        return HttpClient.newBuilder().sslContext(TestTls.trustingClient()).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }
}
