package io.gatehouse.csp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.gatehouse.csp.sink.CspEventSink;
import io.gatehouse.http.Response;
import io.gatehouse.internal.csp.CspJson;
import io.gatehouse.internal.csp.CspRejection;
import io.gatehouse.proxy.HeaderLookup;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CspReportEndpointTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2024-06-15T08:30:12.345Z"), ZoneOffset.UTC);

    static CspReportEndpoint endpoint(CspEventSink sink) {
        return CspReportEndpoint.builder().sink(sink).clock(CLOCK).random(new Random(7)).build();
    }

    static Object readJson(String resource) throws IOException {
        try (InputStream in = CspReportEndpointTest.class.getResourceAsStream(resource);
             JsonParser p = new JsonFactory().createParser(in)) {
            p.nextToken();
            return CspJson.read(p);
        }
    }

    @SuppressWarnings("unchecked")
    static Stream<Arguments> cases() throws IOException {
        return ((List<Object>) readJson("endpoint-cases.json")).stream().map(o -> {
            Map<String, Object> c = (Map<String, Object>) o;
            return Arguments.of(c.get("name"), c);
        });
    }

    static byte[] body(String spec) {
        if (spec.equals("DEEP")) {
            return ("{\"csp-report\": " + "[".repeat(40) + "]".repeat(40) + "}").getBytes(StandardCharsets.UTF_8);
        }
        if (spec.equals("LONGNUMBER")) {
            return ("{\"csp-report\": {\"line-number\": " + "9".repeat(1001) + "}}").getBytes(StandardCharsets.UTF_8);
        }
        if (spec.startsWith("REPORTS:")) {
            return reports(spec.substring(8).split("\\+"));
        }
        if (spec.startsWith("BIG:")) {
            int size = Integer.parseInt(spec.substring(4));
            String head = "{\"csp-report\": {\"document-uri\": \"https://a.example/\", \"x\": \"";
            String tail = "\"}}";
            return (head + "a".repeat(size - head.length() - tail.length()) + tail).getBytes(StandardCharsets.UTF_8);
        }
        if (spec.startsWith("BYTES:")) {
            return HexFormat.of().parseHex(spec.substring(6));
        }
        return spec.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A {@code reports+json} batch: {@code n} violations, then the parts named after it:
     * {@code OTHER:k} (k {@code deprecation} reports, put first), {@code SCALAR} (a list element
     * that is not an object), {@code BADBODY} (a violation whose body is a string), {@code SYNTAX}
     * (a syntax error at the very end).
     */
    static byte[] reports(String[] parts) {
        StringBuilder sb = new StringBuilder("[");
        String sep = "";
        for (String part : parts) {
            if (part.startsWith("OTHER:")) {
                for (int i = Integer.parseInt(part.substring(6)); i > 0; i--) {
                    sb.append(sep).append("{\"type\":\"deprecation\",\"body\":{\"id\":\"some-deprecated-api\"}}");
                    sep = ",";
                }
            }
        }
        for (int i = 0; i < Integer.parseInt(parts[0]); i++) {
            sb.append(sep).append("{\"type\":\"csp-violation\",\"body\":{\"documentURL\":\"https://a.example/").append(i).append("\"}}");
            sep = ",";
        }
        String end = "]";
        for (String part : parts) {
            switch (part) {
                case "SCALAR" -> sb.append(sep).append("7");
                case "BADBODY" -> sb.append(sep).append("{\"type\":\"csp-violation\",\"body\":\"x\"}");
                case "SYNTAX" -> end = ",]";
                default -> { }
            }
        }
        return sb.append(end).toString().getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersEveryRow(String name, Map<String, Object> c) throws IOException {
        RecordingSink sink = new RecordingSink();
        CspReportEndpoint e = endpoint(sink);
        byte[] body = body((String) c.get("body"));
        Response r = e.handle((String) c.get("method"), (String) c.get("query"), (String) c.get("contentType"),
                HeaderLookup.none(), new ByteArrayInputStream(body));
        assertThat(r.status()).isEqualTo(((Number) c.get("status")).intValue());
        String expected = (String) c.get("response");
        if (expected.matches("[A-Z_]+")) {
            CspRejection rej = CspRejection.valueOf(expected);
            assertThat(r.bodyText()).isEqualTo(rej.body());
            assertThat(r.headers()).containsEntry("Content-Type", "application/json");
            assertThat(e.counters().rejected(rej.counterName())).isEqualTo(1);
        } else {
            assertThat(r.bodyText()).isEqualTo(expected);
        }
        if (r.status() == 204) {
            assertThat(r.body()).isEmpty();
            assertThat(r.headers()).doesNotContainKey("Content-Type");
        }
        assertThat(sink.events).hasSize(((Number) c.get("events")).intValue());
        assertThat(e.counters().eventsAccepted()).isEqualTo(sink.events.size());
        if (c.get("ignored") != null) {
            assertThat(e.counters().ignoredNonCsp()).isEqualTo(((Number) c.get("ignored")).longValue());
        }
    }

    @Test
    void rejectionBodiesAreExactlyPostHogs() {
        assertThat(CspRejection.INVALID_PAYLOAD.body()).isEqualTo(
                "{\"type\":\"invalid_payload\",\"code\":\"invalid_payload\",\"detail\":\"Failed to submit CSP report\",\"attr\":null}");
        assertThat(CspRejection.TOO_LARGE.body()).isEqualTo(
                "{\"type\":\"validation_error\",\"code\":\"csp_report_too_large\",\"detail\":\"CSP report too large\",\"attr\":null}");
        assertThat(CspRejection.MISSING_API_KEY.body()).isEqualTo(
                "{\"type\":\"authentication_error\",\"code\":\"missing_api_key\",\"detail\":\"API key not provided. You can find your project API key in PostHog project settings.\",\"attr\":null}");
    }

    @Test
    void oversizedStreamIsCutAtTheLimitWithoutReadingIt() throws IOException {
        RecordingSink sink = new RecordingSink();
        CspReportEndpoint e = CspReportEndpoint.builder().sink(sink).maxBodyBytes(1000).build();
        long[] served = {0};
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                served[0]++;
                return ' ';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) ' ');
                served[0] += len;
                return len;
            }
        };
        Response r = e.handle("POST", "token=x", "application/csp-report", HeaderLookup.none(), endless);
        assertThat(r.status()).isEqualTo(413);
        assertThat(served[0]).isLessThanOrEqualTo(1001 + 16 * 1024);
        Response declared = e.handle("POST", "token=x", "application/csp-report",
                HeaderLookup.of(Map.of("Content-Length", List.of("5000"))), endless);
        assertThat(declared.status()).isEqualTo(413);
    }

    @Test
    void tokenAllowList() throws IOException {
        RecordingSink sink = new RecordingSink();
        CspReportEndpoint e = CspReportEndpoint.builder().sink(sink).tokens(Set.of("phc_good")).build();
        byte[] body = "{\"csp-report\": {}}".getBytes(StandardCharsets.UTF_8);
        Response bad = e.handle("POST", "token=phc_bad", "application/csp-report", HeaderLookup.none(), new ByteArrayInputStream(body));
        assertThat(bad.status()).isEqualTo(401);
        assertThat(bad.bodyText()).isEqualTo(CspRejection.INVALID_API_KEY.body());
        Response good = e.handle("POST", "api_key=phc_good", "application/csp-report", HeaderLookup.none(), new ByteArrayInputStream(body));
        assertThat(good.status()).isEqualTo(204);
        assertThat(sink.events).singleElement().satisfies(ev -> assertThat(ev.token()).isEqualTo("phc_good"));
    }

    @Test
    void eachRequestIsReadWithItsOwnQueryWhenQueriesAlternate() {
        RecordingSink sink = new RecordingSink();
        CspReportEndpoint e = CspReportEndpoint.builder().sink(sink).tokens(Set.of("phc_a", "phc_b")).build();
        byte[] body = "{\"csp-report\": {}}".getBytes(StandardCharsets.UTF_8);
        String[] queries = {"token=phc_a&distinct_id=one", "token=phc_b&distinct_id=two", "token=phc_c&distinct_id=three"};
        for (int i = 0; i < 9; i++) {
            String q = queries[i % 3];
            // A new String each time, as a server makes one per request.
            String raw = new String(q.toCharArray());
            Response r = e.beforeBody("POST", raw, "application/csp-report", HeaderLookup.none())
                    .orElseGet(() -> e.handleBody(raw, "application/csp-report", HeaderLookup.none(), body, body.length));
            assertThat(r.status()).as(q).isEqualTo(i % 3 == 2 ? 401 : 204);
        }
        assertThat(sink.events).extracting(ev -> ev.token() + "/" + ev.distinctId())
                .containsExactly("phc_a/one", "phc_b/two", "phc_a/one", "phc_b/two", "phc_a/one", "phc_b/two");
    }

    /**
     * A caller that goes straight to {@code handleBody}, skipping {@code beforeBody}, gets the same
     * 401s for a missing or refused token, never an exception or an event without a token.
     */
    @Test
    void handleBodyAloneStillChecksTheToken() {
        byte[] legacy = "{\"csp-report\": {\"document-uri\": \"https://a.example/\"}}".getBytes(StandardCharsets.UTF_8);
        RecordingSink sink = new RecordingSink();
        CspReportEndpoint e = CspReportEndpoint.builder().sink(sink).tokens(java.util.Set.of("t")).build();
        assertThat(e.handleBody(null, "application/csp-report", HeaderLookup.none(), legacy, legacy.length).bodyText())
                .isEqualTo(CspRejection.MISSING_API_KEY.body());
        assertThat(e.handleBody("v=1", "application/csp-report", HeaderLookup.none(), legacy, legacy.length).bodyText())
                .isEqualTo(CspRejection.MISSING_API_KEY.body());
        assertThat(e.handleBody("token=u", "application/csp-report", HeaderLookup.none(), legacy, legacy.length).bodyText())
                .isEqualTo(CspRejection.INVALID_API_KEY.body());
        assertThat(e.handleBody("token=t", "application/csp-report", HeaderLookup.none(), legacy, legacy.length).status())
                .isEqualTo(204);
        assertThat(sink.events).hasSize(1).allSatisfy(ev -> assertThat(ev.token()).isEqualTo("t"));
    }

    /**
     * An adapter that reads the body itself calls {@code handleBody} after {@code beforeBody}: the
     * media type still decides the shapes, given or taken from the request's Content-Type header.
     */
    @Test
    void handleBodyJudgesTheShapeByTheMediaType() {
        byte[] legacy = "{\"csp-report\": {\"document-uri\": \"https://a.example/\"}}".getBytes(StandardCharsets.UTF_8);
        byte[] list = "[{\"type\": \"csp-violation\", \"body\": {}}]".getBytes(StandardCharsets.UTF_8);
        RecordingSink sink = new RecordingSink();
        CspReportEndpoint e = endpoint(sink);
        assertThat(e.handleBody("token=t", "application/csp-report", HeaderLookup.none(), legacy, legacy.length).status())
                .isEqualTo(204);
        assertThat(e.handleBody("token=t", "application/reports+json; charset=utf-8", HeaderLookup.none(), list,
                list.length).status()).isEqualTo(204);
        assertThat(e.handleBody("token=t", "application/reports+json", HeaderLookup.none(), legacy, legacy.length)
                .bodyText()).isEqualTo(CspRejection.INVALID_PROPERTIES.body());
        assertThat(e.handleBody("token=t", "application/csp-report", HeaderLookup.none(), list, list.length)
                .bodyText()).isEqualTo(CspRejection.INVALID_PROPERTIES.body());
        HeaderLookup reportsJson = HeaderLookup.of(Map.of("content-type", List.of("Application/Reports+JSON")));
        assertThat(e.handleBody("token=t", reportsJson, legacy, legacy.length).bodyText())
                .isEqualTo(CspRejection.INVALID_PROPERTIES.body());
        assertThat(e.handleBody("token=t", reportsJson, list, list.length).status()).isEqualTo(204);
        // No media type, or one the endpoint does not take: the answer beforeBody gives.
        assertThat(e.handleBody("token=t", HeaderLookup.none(), legacy, legacy.length).bodyText())
                .isEqualTo(CspRejection.INVALID_PAYLOAD.body());
        assertThat(e.handleBody("token=t", "application/json", HeaderLookup.none(), legacy, legacy.length).bodyText())
                .isEqualTo(CspRejection.INVALID_PAYLOAD.body());
        assertThat(sink.events).hasSize(3);
    }

    @Test
    void mediaTypesAreComparedWithoutRegardToAsciiCaseOrParameters() {
        assertThat(CspReportEndpoint.mediaType(" Application/CSP-Report ; charset=utf-8")).isSameAs(CspReportEndpoint.CSP_REPORT);
        assertThat(CspReportEndpoint.mediaType("APPLICATION/REPORTS+JSON")).isSameAs(CspReportEndpoint.REPORTS_JSON);
        assertThat(CspReportEndpoint.mediaType("application/reports+json;")).isSameAs(CspReportEndpoint.REPORTS_JSON);
        assertThat(CspReportEndpoint.mediaType("application/csp-reports")).isNull();
        assertThat(CspReportEndpoint.mediaType("application/csp-report+json")).isNull();
        assertThat(CspReportEndpoint.mediaType("appl\u0131cation/csp-report")).isNull();
        assertThat(CspReportEndpoint.mediaType("")).isNull();
        assertThat(CspReportEndpoint.mediaType(";")).isNull();
        assertThat(CspReportEndpoint.mediaType(null)).isNull();
    }

    @Test
    void aCallerWritingIntoAResponseBodyDoesNotChangeTheNextResponse() {
        CspReportEndpoint e = endpoint(new RecordingSink());
        Response first = e.beforeBody("OPTIONS", null, null, HeaderLookup.none()).orElseThrow();
        java.util.Arrays.fill(first.body(), (byte) 'x');
        Response second = e.beforeBody("OPTIONS", null, null, HeaderLookup.none()).orElseThrow();
        assertThat(second.bodyText()).isEqualTo("{\"status\": 1}");
    }

    @Test
    void corsHeadersFollowTheOrigin() throws IOException {
        CspReportEndpoint e = endpoint(new RecordingSink());
        Response r = e.handle("OPTIONS", null, null,
                HeaderLookup.of(Map.of("Origin", List.of("https://App.example.com:8443"))), InputStream.nullInputStream());
        assertThat(r.headers()).containsEntry("Access-Control-Allow-Origin", "https://App.example.com:8443")
                .containsEntry("Access-Control-Allow-Credentials", "true")
                .containsEntry("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
                .containsEntry("Access-Control-Allow-Headers", "X-Requested-With,Content-Type");
        Response nullOrigin = e.handle("POST", "", "application/csp-report",
                HeaderLookup.of(Map.of("Origin", List.of("null"))), InputStream.nullInputStream());
        assertThat(nullOrigin.headers()).containsEntry("Access-Control-Allow-Origin", "*");
        Response evil = e.handle("OPTIONS", null, null,
                HeaderLookup.of(Map.of("Origin", List.of("https://a.com\r\nSet-Cookie: x=1"))), InputStream.nullInputStream());
        assertThat(evil.headers()).doesNotContainKey("Access-Control-Allow-Origin");
        Response none = e.handle("OPTIONS", null, null, HeaderLookup.none(), InputStream.nullInputStream());
        assertThat(none.headers()).doesNotContainKey("Access-Control-Allow-Origin");
        assertThat(CspReportEndpoint.allowedOrigin("https://a.example/path?q")).isEqualTo("https://a.example");
    }

    @Test
    void sinkFailureAnswers503SoTheBrowserRetries() throws IOException {
        CspReportEndpoint e = CspReportEndpoint.builder().sink(events -> {
            throw new IllegalStateException("disk full");
        }).build();
        Response r = e.handle("POST", "token=x", "application/csp-report", HeaderLookup.none(),
                new ByteArrayInputStream("{\"csp-report\": {}}".getBytes(StandardCharsets.UTF_8)));
        assertThat(r.status()).isEqualTo(503);
        assertThat(e.counters().sinkErrors()).isEqualTo(1);
        assertThat(e.counters().eventsAccepted()).isZero();
    }

    @Test
    void pathMatching() {
        CspReportEndpoint e = endpoint(new RecordingSink());
        assertThat(e.matches("/report")).isTrue();
        assertThat(e.matches("/report/")).isTrue();
        assertThat(e.matches("/reports")).isFalse();
        assertThat(e.matches("/report//")).isFalse();
        assertThat(e.matches("/report/x")).isFalse();
        assertThat(e.matches(null)).isFalse();
    }

    @Test
    void queryParsingIsForgiving() {
        String raw = "token=a%20b&token=c+d&x&%zz=1&v=%E2%9C%93&&api%5Fkey=e&=f&session_id&distinct_id=%zz";
        CspReportEndpoint.Query q = CspReportEndpoint.Query.parse(raw);
        assertThat(q).isEqualTo(new CspReportEndpoint.Query("c d", "e", "\u2713", "%zz", "", null));
        assertThat(q).isEqualTo(QueryOracle.expected(raw));
        assertThat(q.projectToken()).isEqualTo("c d");
        assertThat(CspReportEndpoint.Query.parse("token=&api_key=k").projectToken()).isEqualTo("k");
        assertThat(CspReportEndpoint.Query.parse(null)).isEqualTo(CspReportEndpoint.Query.NONE);
        assertThat(CspReportEndpoint.Query.parse("&&tokens=x&toke=y").projectToken()).isNull();
        assertThat(CspReportEndpoint.sampleRate(" 0.5 ")).isEqualTo(0.5);
        assertThat(CspReportEndpoint.sampleRate(".25")).isEqualTo(0.25);
        assertThat(CspReportEndpoint.sampleRate("5e-1")).isEqualTo(0.5);
        assertThat(CspReportEndpoint.sampleRate("+Infinity")).isInfinite();
        assertThat(CspReportEndpoint.sampleRate("0x10")).isEqualTo(1.0);
        assertThat(CspReportEndpoint.sampleRate("1/2")).isEqualTo(1.0);
    }
}
