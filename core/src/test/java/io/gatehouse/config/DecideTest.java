package io.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.csp.sink.CspEvent;
import io.gatehouse.csp.sink.CspEventSink;
import io.gatehouse.http.Answers;
import io.gatehouse.http.RequestView;
import io.gatehouse.http.Response;
import io.gatehouse.http.ResponseHeaders;
import io.gatehouse.ip.IpAddress;
import io.gatehouse.proxy.HeaderLookup;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Gatehouse#decide} and {@link Gatehouse#decorate} on request views, without an adapter. */
class DecideTest {
    private final List<CspEvent> events = new ArrayList<>();

    private Gatehouse gatehouse(String... env) {
        Map<String, String> e = new HashMap<>();
        e.put("TEST", "1");
        for (int i = 0; i < env.length; i += 2) {
            e.put(env[i], env[i + 1]);
        }
        return Gatehouse.builder(GatehouseConfig.fromEnvironment(e), CspEventSink.consuming(events::addAll)).build();
    }

    private static RequestView request(String method, String path, String... headers) {
        Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < headers.length; i += 2) {
            h.computeIfAbsent(headers[i], k -> new ArrayList<>()).add(headers[i + 1]);
        }
        int q = path.indexOf('?');
        return RequestView.of(method, q < 0 ? path : path.substring(0, q), q < 0 ? null : path.substring(q + 1),
                "app.example:8443", IpAddress.parse("127.0.0.1"), false, HeaderLookup.of(h));
    }

    /** SPEC 9 "Malformed HTTP": framing headers an adapter passes on are checked in core. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Content-Length=abc                        | malformed",
        "Content-Length=-5                         | malformed",
        "Content-Length=+5                         | malformed",
        "Content-Length=5;Content-Length=6         | malformed",
        "Content-Length=5, 6                       | malformed",
        "Content-Length=5;Transfer-Encoding=chunked| malformed",
        "Content-Length=                           | malformed",
        "Content-Length=99999999999999999999       | malformed",
        "Content-Length=5, 5                       | body",
        "Content-Length=5;Content-Length=5         | body",
        "Content-Length=0                          | none",
        "Transfer-Encoding=chunked                 | body",
        "X-Other=1                                 | none",
    })
    void framingHeaders(String headers, String expected) {
        List<String> h = new ArrayList<>();
        for (String pair : headers.split(";")) {
            String[] kv = pair.split("=", 2);
            h.add(kv[0].strip());
            h.add(kv[1].strip());
        }
        Outcome o = gatehouse("ALLOWED_IP_BLOCKS", "10.0.0.0/8").decide(request("POST", "/app", h.toArray(new String[0])));
        assertThat(o).isInstanceOf(Outcome.Answer.class);
        Response r = ((Outcome.Answer) o).response();
        switch (expected) {
            case "malformed" -> assertThat(r).isSameAs(Answers.MALFORMED);
            case "body" -> {
                assertThat(r.status()).as("denied, the body unread").isEqualTo(403);
                assertThat(r.closeConnection()).isTrue();
            }
            default -> {
                assertThat(r.status()).isEqualTo(403);
                assertThat(r.closeConnection()).as("nothing to read: the connection may stay").isFalse();
            }
        }
    }

    @Test
    void proceedTellsTheResolvedClientSchemeHostAndPort() {
        Gatehouse g = gatehouse("IS_BEHIND_PROXY", "1", "TRUSTED_PROXIES", "127.0.0.1");
        Outcome o = g.decide(request("GET", "/me?x=1", "X-Forwarded-For", "203.0.113.9", "X-Forwarded-Proto", "https"));
        assertThat(o).isInstanceOfSatisfying(Outcome.Proceed.class, p -> {
            assertThat(p.clientAddress()).isEqualTo("203.0.113.9");
            assertThat(p.scheme()).isEqualTo("https");
            assertThat(p.host()).isEqualTo("app.example");
            assertThat(p.port()).isEqualTo(8443);
            assertThat(p.url("ignored", "/me")).isEqualTo("https://app.example:8443/me");
        });
        assertThat(new Outcome.Proceed(o.client(), true, "[2001:db8::1]").port()).isEqualTo(443);
        assertThat(new Outcome.Proceed(o.client(), true, "[2001:db8::1]").host()).isEqualTo("[2001:db8::1]");
        assertThat(new Outcome.Proceed(o.client(), false, "[2001:db8::1]:8080").port()).isEqualTo(8080);
        assertThat(new Outcome.Proceed(o.client(), false, null).url("fallback", "/")).isEqualTo("http://fallback/");
        assertThat(new Outcome.Proceed(o.client(), false, "h:99999").port()).as("not a port: the default").isEqualTo(80);
    }

    @Test
    void reportBodyIsReadByTheCoreWithTheLimitAndTheDeadline() throws IOException {
        Gatehouse g = gatehouse("GATEHOUSE_CSP_MAX_BODY_BYTES", "100");
        String report = "{\"csp-report\": {\"document-uri\": \"https://a.example/\"}}";
        Outcome o = g.decide(request("POST", "/report/?token=t", "Content-Type", "application/csp-report",
                "Content-Length", Integer.toString(report.length())));
        assertThat(o).isInstanceOf(Outcome.ReadReport.class);
        var body = ((Outcome.ReadReport) o).body();
        ByteBuffer chunk = ByteBuffer.wrap(report.getBytes(StandardCharsets.UTF_8));
        assertThat(body.offer(chunk)).isNull();
        assertThat(chunk.remaining()).as("the caller's buffer is not consumed").isEqualTo(report.length());
        assertThat(body.finish().status()).isEqualTo(204);
        assertThat(body.finish()).as("one answer only").isNull();
        assertThat(events).hasSize(1);

        var tooLarge = ((Outcome.ReadReport) g.decide(request("POST", "/report/?token=t", "Content-Type",
                "application/csp-report", "Transfer-Encoding", "chunked"))).body();
        assertThat(tooLarge.offer(new byte[60], 0, 60)).isNull();
        Response r = tooLarge.offer(new byte[41], 0, 41);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.closeConnection()).isTrue();
        assertThat(tooLarge.finish()).isNull();

        var stalled = ((Outcome.ReadReport) g.decide(request("POST", "/report/?token=t", "Content-Type",
                "application/csp-report", "Content-Length", "50"))).body();
        assertThat(stalled.timeoutMillis()).isEqualTo(10_000);
        assertThat(stalled.failed(new IOException("wrapped", new SocketTimeoutException()))).isSameAs(Answers.TIMED_OUT);
        var broken = ((Outcome.ReadReport) g.decide(request("POST", "/report/?token=t", "Content-Type",
                "application/csp-report", "Content-Length", "50"))).body();
        assertThat(broken.failed(new IOException("Invalid chunk header"))).isSameAs(Answers.MALFORMED);
        assertThat(events).hasSize(1);
    }

    @Test
    void earlyReportAnswersLeaveTheBodyUnreadAndCloseTheConnection() {
        Outcome o = gatehouse().decide(request("POST", "/report/", "Content-Type", "application/csp-report",
                "Content-Length", "10"));
        Response r = ((Outcome.Answer) o).response();
        assertThat(r.status()).as("no token").isEqualTo(401);
        assertThat(r.closeConnection()).isTrue();
        Outcome options = gatehouse().decide(request("OPTIONS", "/report/"));
        assertThat(((Outcome.Answer) options).response().closeConnection()).isFalse();
    }

    @Test
    void decorateRewritesEveryCookieAndAddsCspHeadersUnlessSet() {
        Gatehouse g = Gatehouse.builder(GatehouseConfig.fromEnvironment(Map.of("TEST", "1", "SECURE_COOKIES", "1",
                "DISABLE_SECURE_SSL_REDIRECT", "1")), CspEventSink.consuming(events::addAll))
                .contentSecurityPolicy(io.gatehouse.csp.header.ContentSecurityPolicy.builder().directive("default-src", "'self'")
                        .reportTo("/report/").token("t").build()).build();
        Outcome.Proceed p = (Outcome.Proceed) g.decide(request("GET", "/app"));
        Map<String, List<String>> h = new LinkedHashMap<>();
        h.put("Set-Cookie", new ArrayList<>(List.of("a=1", "JSESSIONID=x; Path=/", "c=\"a b\"")));
        ResponseHeaders view = ResponseHeaders.of(h::get, (n, v) -> h.put(n, new ArrayList<>(List.of(v))),
                (n, v) -> h.get(n).add(v));
        g.decorate(p, view);
        assertThat(h.get("Set-Cookie")).allSatisfy(c -> assertThat(c).contains("Secure"));
        assertThat(h.get("Set-Cookie").get(1)).contains("HttpOnly").containsIgnoringCase("SameSite=Lax");
        assertThat(h.get("Set-Cookie").get(2)).startsWith("c=\"a b\"");
        assertThat(h.get("Content-Security-Policy")).containsExactly("default-src 'self'; report-uri /report/?token=t");
        Map<String, List<String>> own = new LinkedHashMap<>(Map.of("Content-Security-Policy", List.of("default-src 'none'")));
        g.decorate(p, ResponseHeaders.of(own::get, (n, v) -> own.put(n, List.of(v)), (n, v) -> { }));
        assertThat(own.get("Content-Security-Policy")).as("the application's own policy stays").containsExactly("default-src 'none'");
        assertThat(Arrays.asList(h.keySet().toArray())).doesNotContain("Reporting-Endpoints");
    }
}
