package io.gatehouse.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.conformance.TestTls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The demo jar, started as a separate process, checked from outside over http and https. */
@Timeout(120)
class DemoServerIT {
    @TempDir
    Path dir;
    private DemoProcesses demos;

    @BeforeEach
    void setUp() {
        demos = new DemoProcesses(dir);
    }

    @AfterEach
    void stop() {
        demos.close();
    }

    private DemoProcesses.Demo start(Map<String, String> env) throws Exception {
        return demos.start(env);
    }

    private static HttpClient client() throws Exception {
        return DemoProcesses.client();
    }

    static HttpResponse<String> get(HttpClient c, String url) throws Exception {
        return c.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void routesOverHttpAndAGracefulStopThatKeepsEveryEvent() throws Exception {
        Path events = dir.resolve("events.jsonl");
        DemoProcesses.Demo d = start(Map.of("DEBUG", "1", "GATEHOUSE_CSP_EVENTS_FILE", events.toString()));
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
        TestTls tls = TestTls.get();
        DemoProcesses.Demo d = start(Map.of("DEBUG", "1", "GATEHOUSE_TLS_KEYSTORE", tls.keyStore().toString(),
                "GATEHOUSE_TLS_KEYSTORE_PASSWORD", tls.password(), "GATEHOUSE_CSP_EVENTS_FILE", dir.resolve("e.jsonl").toString()));
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

    /** A SIGTERM while events wait for a slow PostHog delivers them before the demo exits 0. */
    @Test
    void sigtermFlushesEventsQueuedForPostHog() throws Exception {
        List<String> received = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        com.sun.net.httpserver.HttpServer posthog = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        posthog.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        posthog.createContext("/batch/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            try {
                Thread.sleep(1500); // a slow PostHog: the SIGTERM arrives while events are in flight
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            int at = 0;
            while ((at = body.indexOf("\"event\":\"$csp_violation\"", at)) >= 0) {
                received.add(body);
                at++;
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        posthog.start();
        try {
            DemoProcesses.Demo d = start(Map.of("DEBUG", "1",
                    "POSTHOG_HOST", "http://127.0.0.1:" + posthog.getAddress().getPort()));
            HttpClient c = client();
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.port()
                        + "/report/?token=phc_demo")).header("Content-Type", "application/csp-report")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"csp-report\": {\"document-uri\": \"https://a/" + i + "\"}}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(204);
            }
            d.process().destroy(); // SIGTERM at once
            assertThat(d.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(d.process().exitValue()).isEqualTo(0);
            assertThat(received).as("events PostHog received").hasSize(3);
            assertThat(d.stderr()).contains("events_accepted=3").contains("events_delivered=3").contains("delivery_failures=0");
        } finally {
            posthog.stop(0);
        }
    }

    @Test
    void allowListDeniesBeforeTheAppButNotHealth() throws Exception {
        DemoProcesses.Demo d = start(Map.of("DEBUG", "1", "ALLOWED_IP_BLOCKS", "10.0.0.0/8"));
        HttpClient c = client();
        HttpResponse<String> denied = get(c, "http://127.0.0.1:" + d.port() + "/whoami");
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.body()).contains("ALLOWED_IP_BLOCKS").contains("TRUSTED_PROXIES");
        assertThat(denied.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(get(c, "http://127.0.0.1:" + d.port() + "/_health").statusCode()).isEqualTo(200);
    }

    @Test
    void configurationErrorsExit2ListingEveryProblemWithoutSecrets() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(DemoProcesses.JAVA_BIN.resolve("java").toString(), "-jar",
                DemoProcesses.JAR.toString()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(Map.of("PORT", "http", "ALLOWED_IP_BLOCKS", "10.0.0.0/8,,010.1.1.1",
                "SECRET_KEY", "correct-horse-battery", "GATEHOUSE_TLS_KEYSTORE", dir.resolve("missing.p12").toString(),
                "GATEHOUSE_TLS_KEYSTORE_PASSWORD", "hunter2-password", "POSTHOG_HOST", "ftp://x"));
        Process p = demos.track(pb.start());
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
