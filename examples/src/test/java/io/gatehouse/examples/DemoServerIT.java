package io.gatehouse.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The demo jar, started as a separate process, checked from outside over http and https. */
@Timeout(120)
class DemoServerIT {
    static final Path JAR = Path.of("target", "gatehouse-demo.jar");
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @TempDir
    Path dir;
    private final List<Process> processes = new ArrayList<>();

    /** A started demo: its process, port, and the file its standard error goes to. */
    record Demo(Process process, int port, Path stderrFile) {
        /** What it wrote on standard error so far. */
        String stderr() throws IOException {
            return Files.readString(stderrFile, StandardCharsets.UTF_8);
        }
    }

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * Starts the jar and waits until it says it listens. Standard error goes to a file, not a pipe:
     * a reader blocked on a pipe can lose the last lines when the process exits.
     */
    Demo start(Map<String, String> env) throws Exception {
        int port = freePort();
        Path err = Files.createTempFile(dir, "demo", ".err");
        ProcessBuilder pb = new ProcessBuilder(JAVA, "-jar", JAR.toString());
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

    static HttpClient client() throws Exception {
        SSLContext trustAll = SSLContext.getInstance("TLS");
        trustAll.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, new SecureRandom());
        return HttpClient.newBuilder().sslContext(trustAll).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    static HttpResponse<String> get(HttpClient c, String url) throws Exception {
        return c.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void routesOverHttpAndAGracefulStopThatKeepsEveryEvent() throws Exception {
        Path events = dir.resolve("events.jsonl");
        Demo d = start(Map.of("DEBUG", "1", "GATEHOUSE_CSP_EVENTS_FILE", events.toString()));
        HttpClient c = client();
        String base = "http://127.0.0.1:" + d.port();

        HttpResponse<String> page = get(c, base + "/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy-Report-Only"))
                .hasValue("default-src 'self'; img-src 'self'; script-src 'self'; report-uri /report/?token=phc_demo&v=1");
        assertThat(page.headers().firstValue("Reporting-Endpoints")).isEmpty();
        assertThat(page.body()).contains("<script>").contains("<img src=\"http://127.0.0.2:" + d.port() + "/x.png\"");

        HttpResponse<String> who = get(c, base + "/whoami");
        assertThat(who.statusCode()).isEqualTo(200);
        assertThat(who.body()).isEqualTo("{\"client_ip\":\"127.0.0.1\",\"scheme\":\"http\"}");
        assertThat(who.headers().allValues("Set-Cookie")).singleElement().asString()
                .startsWith("sessionid=demo; Path=/").containsIgnoringCase("HttpOnly").contains("SameSite=Lax")
                .doesNotContain("Secure");

        assertThat(get(c, base + "/_health").body()).isEqualTo("ok");
        assertThat(get(c, base + "/nope").statusCode()).isEqualTo(404);

        int accepted = 0;
        for (String f : List.of("report-uri-ro-img-src.json", "report-uri-sample-eval.json")) {
            // Real Chromium 156 bodies, kept with the core's test vectors.
            byte[] body = Files.readAllBytes(Path.of("..", "core", "src", "test", "resources", "io", "gatehouse", "csp",
                    "chromium-156", f));
            HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create(base + "/report/?token=phc_demo&v=1"))
                    .header("Content-Type", "application/csp-report").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(204);
            accepted++;
        }
        HttpResponse<String> bad = c.send(HttpRequest.newBuilder(URI.create(base + "/report/"))
                .header("Content-Type", "application/csp-report").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(401);

        d.process().destroy(); // SIGTERM
        assertThat(d.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(d.process().exitValue()).isEqualTo(0);
        List<String> lines = Files.readAllLines(events);
        assertThat(lines).hasSize(accepted).allSatisfy(l -> assertThat(l).startsWith("{\"api_key\":\"phc_demo\",\"event\":\"$csp_violation\""));
        assertThat(d.stderr()).contains("gatehouse-demo stopped").contains("events_accepted=2");
    }

    @Test
    void httpsWithAPkcs12KeyStoreSendsReportTo() throws Exception {
        Path ks = dir.resolve("demo.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "demo", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", ks.toString(), "-storepass", "demo-pass", "-keypass", "demo-pass")
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();

        Demo d = start(Map.of("DEBUG", "1", "GATEHOUSE_TLS_KEYSTORE", ks.toString(),
                "GATEHOUSE_TLS_KEYSTORE_PASSWORD", "demo-pass", "GATEHOUSE_CSP_EVENTS_FILE", dir.resolve("e.jsonl").toString()));
        HttpClient c = client();
        String base = "https://127.0.0.1:" + d.port();
        HttpResponse<String> page = get(c, base + "/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy-Report-Only")).hasValue(
                "default-src 'self'; img-src 'self'; script-src 'self'; report-uri /report/?token=phc_demo&v=1; report-to posthog");
        assertThat(page.headers().firstValue("Reporting-Endpoints")).hasValue("posthog=\"/report/?token=phc_demo&v=1\"");
        assertThat(get(c, base + "/whoami").body()).isEqualTo("{\"client_ip\":\"127.0.0.1\",\"scheme\":\"https\"}");
        assertThat(d.stderr()).contains("listening on https://127.0.0.1:" + d.port());
        // https only: a plain-http request on the same port is not served.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> get(c, "http://127.0.0.1:" + d.port() + "/_health"))
                .isInstanceOf(IOException.class);
        assertThat(d.stderr()).doesNotContain("demo-pass");
    }

    @Test
    void allowListDeniesBeforeTheAppButNotHealth() throws Exception {
        Demo d = start(Map.of("DEBUG", "1", "ALLOWED_IP_BLOCKS", "10.0.0.0/8"));
        HttpClient c = client();
        HttpResponse<String> denied = get(c, "http://127.0.0.1:" + d.port() + "/whoami");
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.body()).contains("ALLOWED_IP_BLOCKS").contains("TRUSTED_PROXIES");
        assertThat(denied.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(get(c, "http://127.0.0.1:" + d.port() + "/_health").statusCode()).isEqualTo(200);
    }

    @Test
    void configurationErrorsExit2ListingEveryProblemWithoutSecrets() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(JAVA, "-jar", JAR.toString()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(Map.of("PORT", "http", "ALLOWED_IP_BLOCKS", "10.0.0.0/8,,010.1.1.1",
                "SECRET_KEY", "correct-horse-battery", "GATEHOUSE_TLS_KEYSTORE", dir.resolve("missing.p12").toString(),
                "GATEHOUSE_TLS_KEYSTORE_PASSWORD", "hunter2-password", "POSTHOG_HOST", "ftp://x"));
        Process p = pb.start();
        processes.add(p);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(out).contains("5 problems")
                .contains("ALLOWED_IP_BLOCKS entry 3 \"010.1.1.1\": leading zero")
                .contains("SECRET_KEY (21 characters) is weak")
                .contains("PORT \"http\"")
                .contains("POSTHOG_HOST \"ftp://x\"")
                .contains("GATEHOUSE_TLS_KEYSTORE")
                .doesNotContain("correct-horse", "hunter2");
    }
}
