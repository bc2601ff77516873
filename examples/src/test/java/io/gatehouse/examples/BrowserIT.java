package io.gatehouse.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.gatehouse.conformance.TestTls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real headless Chromium loads the demo page, whose report-only policy it violates, and its
 * reports must arrive and become events: {@code report-uri} ones from the http page (Chromium
 * ignores {@code report-uri} when {@code report-to} is present, so the builder leaves it out over
 * http), Reporting API ones from the https page. Runs where the Debian {@code chromium} package is
 * installed ({@code .ci/run} installs it).
 */
@Timeout(120)
class BrowserIT {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path dir;
    private DemoProcesses demos;

    @BeforeEach
    void setUp() {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "Debian's chromium package is not installed");
        demos = new DemoProcesses(dir);
    }

    @AfterEach
    void stop() {
        if (demos != null) {
            demos.close();
        }
    }

    /** Starts Chromium directly (no DevTools, no driver) on {@code url} with a fresh profile. */
    private void chromium(String url, String... extra) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + Files.createTempDirectory(dir, "profile")));
        cmd.addAll(List.of(extra));
        cmd.add(url);
        demos.track(new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("chromium-" + System.nanoTime() + ".log").toFile()).start());
    }

    /** Waits (bounded) until the events file holds events for every directive in {@code directives}. */
    private static List<Map<String, Object>> awaitEvents(Path events, List<String> directives, Process demo)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
        List<Map<String, Object>> seen = List.of();
        while (System.nanoTime() < deadline) {
            seen = readEvents(events);
            List<Object> got = seen.stream().map(e -> e.get("$csp_violated_directive")).toList();
            if (got.containsAll(directives)) {
                return seen;
            }
            demo.waitFor(200, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError("reports for " + directives + " did not arrive within 45 s; events: " + seen);
    }

    /** The properties of each event line (string and null values; that is all the checks need). */
    static List<Map<String, Object>> readEvents(Path file) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        JsonFactory f = new JsonFactory();
        for (String line : Files.readAllLines(file)) {
            Map<String, Object> props = new HashMap<>();
            try (JsonParser p = f.createParser(line)) {
                while (p.nextToken() != null) {
                    if (p.currentToken() == JsonToken.FIELD_NAME && "properties".equals(p.currentName())) {
                        p.nextToken();
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String name = p.currentName();
                            JsonToken t = p.nextToken();
                            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                                props.put(name, "(structure)");
                                p.skipChildren();
                            } else {
                                props.put(name, t == JsonToken.VALUE_NULL ? null : p.getText());
                            }
                        }
                    }
                }
            }
            out.add(props);
        }
        return out;
    }

    @Test
    void reportUriReportsFromAnHttpPage() throws Exception {
        Path events = dir.resolve("events.jsonl");
        DemoProcesses.Demo d = demos.start(Map.of("DEBUG", "1", "GATEHOUSE_CSP_EVENTS_FILE", events.toString()));
        String page = "http://127.0.0.1:" + d.port() + "/";
        chromium(page);
        List<Map<String, Object>> got = awaitEvents(events, List.of("img-src", "script-src-elem"), d.process());
        for (Map<String, Object> e : got) {
            assertThat(e).containsEntry("$csp_document_url", page).containsEntry("$csp_version", "1")
                    .containsEntry("$csp_disposition", "report")
                    .doesNotContainKey("$csp_user_agent"); // legacy report-uri bodies carry no user agent
            assertThat((String) e.get("$raw_user_agent")).contains("HeadlessChrome");
        }
        assertThat(got).anySatisfy(e -> assertThat(e).containsEntry("$csp_violated_directive", "img-src")
                .containsEntry("$csp_blocked_url", "http://127.0.0.2:" + d.port() + "/x.png"));
        assertThat(got).anySatisfy(e -> assertThat(e).containsEntry("$csp_violated_directive", "script-src-elem")
                .containsEntry("$csp_blocked_url", "inline"));
    }

    @Test
    void reportingApiReportsFromAnHttpsPage() throws Exception {
        Path events = dir.resolve("events.jsonl");
        TestTls tls = TestTls.get();
        DemoProcesses.Demo d = demos.start(Map.of("DEBUG", "1", "GATEHOUSE_CSP_EVENTS_FILE", events.toString(),
                "GATEHOUSE_TLS_KEYSTORE", tls.keyStore().toString(), "GATEHOUSE_TLS_KEYSTORE_PASSWORD", tls.password()));
        String page = "https://127.0.0.1:" + d.port() + "/";
        chromium(page, "--ignore-certificate-errors", "--short-reporting-delay");
        List<Map<String, Object>> got = awaitEvents(events, List.of("img-src", "script-src-elem"), d.process());
        for (Map<String, Object> e : got) {
            assertThat(e).containsEntry("$csp_document_url", page).containsEntry("$csp_report_type", "csp-violation");
            // Only Reporting API reports carry the browser's user_agent inside the report.
            assertThat((String) e.get("$csp_user_agent")).contains("HeadlessChrome");
        }
        assertThat(got).anySatisfy(e -> assertThat(e).containsEntry("$csp_violated_directive", "img-src")
                .containsEntry("$csp_blocked_url", "http://127.0.0.2:" + d.port() + "/x.png"));
    }
}
