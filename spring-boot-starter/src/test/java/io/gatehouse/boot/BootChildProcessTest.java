package io.gatehouse.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The application in its own JVM, as a user runs it, configured by real environment variables: what a bad
 * configuration prints, and that good settings from the environment apply.
 */
@Timeout(120)
class BootChildProcessTest {
    private static final String WEAK_KEY = "abcabcabcabcabcabcabcabcabcabcabcabcabcabc";
    private static final List<String> POSTHOG_NAMES = List.of("DEBUG", "TEST", "ALLOWED_IP_BLOCKS", "IS_BEHIND_PROXY",
            "TRUSTED_PROXIES", "TRUST_ALL_PROXIES", "SECURE_COOKIES", "DISABLE_SECURE_SSL_REDIRECT", "SECRET_KEY",
            "SECRET_KEY_FALLBACKS", "POSTHOG_HOST");

    private static Process start(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-cp", System.getProperty("java.class.path"), PlainApp.class.getName(),
                "--server.port=0", "--server.address=127.0.0.1", "--spring.main.banner-mode=off"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> POSTHOG_NAMES.contains(k) || k.startsWith("GATEHOUSE_") || k.startsWith("SPRING_"));
        pb.environment().putAll(env);
        return pb.start();
    }

    @Test
    void aBadConfigurationPrintsBootsShortReportWithEveryProblemAndNoSecret() throws Exception {
        Process p = start(Map.of("ALLOWED_IP_BLOCKS", "10.0.0.0/33,192.168.1.300", "SECRET_KEY", WEAK_KEY,
                "GATEHOUSE_CSP_PATH", "report"), "--gatehouse.max-forwarded-hops=0");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isNotZero();
        assertThat(out).contains("APPLICATION FAILED TO START", "Gatehouse's configuration is invalid (5 problems):")
                .contains("- ALLOWED_IP_BLOCKS (set in System Environment Property \"ALLOWED_IP_BLOCKS\") entry 1 \"10.0.0.0/33\"")
                .contains("- ALLOWED_IP_BLOCKS (set in System Environment Property \"ALLOWED_IP_BLOCKS\") entry 2 \"192.168.1.300\"")
                .contains("- gatehouse.csp.path (set in System Environment Property \"GATEHOUSE_CSP_PATH\") \"report\"")
                .contains("- gatehouse.max-forwarded-hops (set in \"gatehouse.max-forwarded-hops\" from property source"
                        + " \"commandLineArgs\") \"0\": expected a whole number from 1 to 1024")
                .contains("- SECRET_KEY (set in System Environment Property \"SECRET_KEY\") (" + WEAK_KEY.length() + " characters) is weak")
                .contains("Action:", "gatehouse.debug=true");
        assertThat(out).as("no secret value").doesNotContain(WEAK_KEY).doesNotContain("abcabcabc");
        assertThat(out).as("no stack trace").doesNotContain("\tat ").doesNotContain("Caused by");
        int start = out.indexOf("APPLICATION FAILED TO START");
        assertThat(out.substring(start).lines().count()).as("a short report").isLessThan(30);
    }

    @Test
    void settingsFromTheEnvironmentApply() throws Exception {
        Process p = start(Map.of("GATEHOUSE_DEBUG", "true", "ALLOWED_IP_BLOCKS", "127.0.0.1", "GATEHOUSE_CSP_TOKENS", "phc_env"));
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        try {
            BufferedReader reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            int port = -1;
            while (port < 0 && (line = reader.readLine()) != null) {
                lines.add(line);
                if (line.startsWith("GATEHOUSE_TEST_PORT=")) {
                    port = Integer.parseInt(line.substring("GATEHOUSE_TEST_PORT=".length()));
                }
            }
            assertThat(port).as(String.join("\n", lines)).isPositive();
            Thread drain = new Thread(() -> reader.lines().forEach(lines::add));
            drain.setDaemon(true);
            drain.start();
            URI base = URI.create("http://127.0.0.1:" + port);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            assertThat(http.send(HttpRequest.newBuilder(base.resolve("/app")).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).as("127.0.0.1 is allowed, and gatehouse.debug spares the secret key").isEqualTo(200);
            String report = "{\"csp-report\": {\"document-uri\": \"https://env.example/\"}}";
            for (String token : List.of("phc_other", "phc_env")) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/report/?token=" + token))
                        .header("Content-Type", "application/csp-report").POST(HttpRequest.BodyPublishers.ofString(report)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(token).isEqualTo(token.equals("phc_env") ? 204 : 401);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (lines.stream().noneMatch(l -> l.contains("https://env.example/")) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(lines).as("the event, on standard output by default")
                    .anySatisfy(l -> assertThat(l).contains("\"$csp_violation\"").contains("https://env.example/"));
        } finally {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
        }
    }
}
