package io.gatehouse.csp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import io.gatehouse.csp.sink.CspEvent;
import io.gatehouse.http.Response;
import io.gatehouse.internal.csp.CspJson;
import io.gatehouse.internal.csp.CspViolation;
import io.gatehouse.proxy.HeaderLookup;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Events compared structurally with hand-written golden files, and with real Chromium 156 reports. */
class CspEventMappingTest {
    private static final String UUID7 = "[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

    @SuppressWarnings("unchecked")
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"legacy.json", "report-to-html-sample-sampled.json", "fallbacks.json"})
    void matchesGolden(String file) throws IOException {
        Map<String, Object> golden = (Map<String, Object>) CspReportEndpointTest.readJson("golden/" + file);
        RecordingSink sink = new RecordingSink();
        CspReportEndpoint e = CspReportEndpointTest.endpoint(sink);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (golden.get("userAgent") != null) {
            headers.put("User-Agent", List.of((String) golden.get("userAgent")));
        }
        Response r = e.handle("POST", (String) golden.get("query"), (String) golden.get("contentType"),
                HeaderLookup.of(headers), new ByteArrayInputStream(toJson(golden.get("body"))));
        assertThat(r.status()).isEqualTo(204);
        List<Object> expected = (List<Object>) golden.get("events");
        List<Object> actual = new ArrayList<>();
        for (CspEvent ev : sink.events) {
            actual.add(parse(ev.toJson()));
        }
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertStructurallyEqual(actual.get(i), expected.get(i), "event " + i);
        }
        // Generated ids are shared by all events of a request, and distinct from each other.
        if (sink.events.size() > 1) {
            assertThat(sink.events).extracting(CspEvent::distinctId).containsOnly(sink.events.get(0).distinctId());
        }
        Object session = sink.events.get(0).properties().get("$session_id");
        assertThat(sink.events.get(0).distinctId()).isNotEqualTo(session);
    }

    /** Equal as JSON values; the string "$uuid7" in the golden stands for any UUIDv7. */
    static void assertStructurallyEqual(Object actual, Object expected, String where) {
        if ("$uuid7".equals(expected)) {
            assertThat(actual).as(where).asString().matches(UUID7);
        } else if (expected instanceof Map<?, ?> em) {
            assertThat(actual).as(where).isInstanceOf(Map.class);
            Map<?, ?> am = (Map<?, ?>) actual;
            assertThat(new java.util.TreeSet<Object>(am.keySet())).as(where + " keys")
                    .isEqualTo(new java.util.TreeSet<Object>(em.keySet()));
            for (Map.Entry<?, ?> en : em.entrySet()) {
                assertStructurallyEqual(am.get(en.getKey()), en.getValue(), where + "." + en.getKey());
            }
        } else if (expected instanceof List<?> el) {
            assertThat(actual).as(where).isInstanceOf(List.class);
            List<?> al = (List<?>) actual;
            assertThat(al).as(where).hasSameSizeAs(el);
            for (int i = 0; i < el.size(); i++) {
                assertStructurallyEqual(al.get(i), el.get(i), where + "[" + i + "]");
            }
        } else {
            assertThat(actual).as(where).isEqualTo(expected);
        }
    }

    static byte[] toJson(Object value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            CspJson.write(g, value);
        }
        return out.toByteArray();
    }

    static Object parse(String json) throws IOException {
        try (JsonParser p = new JsonFactory().createParser(json)) {
            p.nextToken();
            return CspJson.read(p);
        }
    }

    @SuppressWarnings("unchecked")
    static Stream<Arguments> chromiumCaptures() throws IOException {
        List<Object> requests = (List<Object>) CspReportEndpointTest.readJson("chromium-156/requests.json");
        return requests.stream().map(o -> {
            Map<String, Object> r = (Map<String, Object>) o;
            return Arguments.of(r.get("file"), r);
        });
    }

    /** Every body Chromium 156 really sent is accepted, and each report becomes one event with the right fields. */
    @SuppressWarnings("unchecked")
    @ParameterizedTest(name = "{0}")
    @MethodSource("chromiumCaptures")
    void acceptsRealChromiumReports(String file, Map<String, Object> request) throws IOException {
        byte[] body;
        try (InputStream in = getClass().getResourceAsStream("chromium-156/" + file)) {
            body = in.readAllBytes();
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Object h : (List<Object>) request.get("request_headers")) {
            List<Object> pair = (List<Object>) h;
            headers.computeIfAbsent((String) pair.get(0), k -> new ArrayList<>()).add((String) pair.get(1));
        }
        String path = (String) request.get("path");
        String query = path.substring(path.indexOf('?') + 1);
        RecordingSink sink = new RecordingSink();
        CspReportEndpoint e = CspReportEndpoint.builder().sink(sink).random(new Random(1)).build();
        assertThat(e.matches(path.substring(0, path.indexOf('?')))).isTrue();

        Response r = e.handle((String) request.get("method"), query, (String) request.get("content_type"),
                HeaderLookup.of(headers), new ByteArrayInputStream(body));

        assertThat(r.status()).isEqualTo(204);
        assertThat(r.headers()).containsEntry("Access-Control-Allow-Origin", headers.get("Origin").get(0));
        int reports = ((Number) request.get("reports_in_body")).intValue();
        assertThat(sink.events).hasSize(reports);
        // The expected values are read from the captured body here, independently of the mapping code.
        Object parsed = parse(new String(body, java.nio.charset.StandardCharsets.UTF_8));
        List<Map<String, Object>> bodies = new ArrayList<>();
        boolean legacy = parsed instanceof Map<?, ?>;
        if (legacy) {
            bodies.add((Map<String, Object>) ((Map<String, Object>) parsed).get("csp-report"));
        } else {
            for (Object o : (List<Object>) parsed) {
                bodies.add((Map<String, Object>) ((Map<String, Object>) o).get("body"));
            }
        }
        for (int i = 0; i < reports; i++) {
            Map<String, Object> b = bodies.get(i);
            Map<String, Object> p = sink.events.get(i).properties();
            assertThat(p.get("$csp_document_url")).isEqualTo(b.get(legacy ? "document-uri" : "documentURL"));
            assertThat(p.get("$current_url")).isEqualTo(p.get("$csp_document_url"));
            assertThat(p.get("$csp_violated_directive")).isEqualTo(b.get(legacy ? "violated-directive" : "effectiveDirective"));
            assertThat(p.get("$csp_blocked_url")).isEqualTo(b.get(legacy ? "blocked-uri" : "blockedURL"));
            assertThat(p.get("$csp_line_number")).isEqualTo(b.get(legacy ? "line-number" : "lineNumber"));
            assertThat(p.get("$csp_script_sample")).isEqualTo(
                    CspViolation.htmlEscape((String) b.get(legacy ? "script-sample" : "sample")));
            assertThat(p.get("$csp_version")).isEqualTo("1");
            assertThat(p.get("$raw_user_agent")).isEqualTo(headers.get("User-Agent").get(0));
            assertThat(p.containsKey("$csp_user_agent")).isEqualTo(!legacy);
            assertThat(p).doesNotContainKey("$csp_csp_sampled");
            assertThat(sink.events.get(i).token()).isEqualTo("phc_test");
        }
    }

    @Test
    void samplesEscapeInsideTheRawReportToo() throws IOException {
        RecordingSink sink = new RecordingSink();
        CspReportEndpointTest.endpoint(sink).handle("POST", "token=t", "application/csp-report", HeaderLookup.none(),
                new ByteArrayInputStream("{\"csp-report\": {\"script-sample\": \"<b>\"}}".getBytes()));
        Map<String, Object> p = sink.events.get(0).properties();
        assertThat(p.get("$csp_script_sample")).isEqualTo("&lt;b&gt;");
        assertThat(p.get("$csp_raw_report")).isEqualTo(Map.of("csp-report", Map.of("script-sample", "&lt;b&gt;")));
        assertThat(p).doesNotContainKey("$csp_user_agent");
    }

    @Test
    void sampledOutAtALowRate() throws IOException {
        RecordingSink sink = new RecordingSink();
        CspReportEndpoint e = CspReportEndpointTest.endpoint(sink);
        byte[] body = "[{\"type\":\"csp-violation\",\"url\":\"https://example.com/page\",\"body\":{}}]".getBytes();
        e.handle("POST", "token=t&sample_rate=0.25", "application/reports+json", HeaderLookup.none(), new ByteArrayInputStream(body));
        assertThat(sink.events).isEmpty();
        assertThat(e.counters().sampledOut()).isEqualTo(1);
        e.handle("POST", "token=t&sample_rate=0.9", "application/reports+json", HeaderLookup.none(), new ByteArrayInputStream(body));
        assertThat(sink.events).hasSize(1);
        assertThat(e.counters().snapshot()).containsEntry("sampled_out", 1L).containsEntry("events_accepted", 1L)
                .containsEntry("reports_received", 2L);
    }
}
