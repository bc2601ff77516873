package io.gatehouse.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.csp.CspReportEndpoint;
import io.gatehouse.csp.sink.CspEvent;
import io.gatehouse.csp.sink.CspEventSink;
import io.gatehouse.http.Response;
import io.gatehouse.proxy.HeaderLookup;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * A real Chromium 156 report body into {@code $csp_violation} events (the endpoint's whole body
 * path: bounded parse, shape checks, event mapping) vs Jackson databind reading the same bytes
 * into a {@code Map}/{@code List} (parsing only). Bodies: a two-report {@code report-to} batch of
 * about 1 KB, and a legacy {@code report-uri} body.
 */
public class CspParseBenchmark extends JmhSettings {
    /**
     * {@code report-to-unique}: the same batch in 1,024 variants whose every URL, the policy and the
     * user agent differ, taken in turn, so no value repeats soon enough to be shared: the worst case
     * for Gatehouse's value cache, where the other two show the common case of a site whose reports
     * repeat their policy, user agent and URLs.
     */
    @Param({"report-to-2-reports", "report-uri", "report-to-unique"})
    public String body;

    private static final int VARIANTS = 1024;
    private byte[][] variants;
    private int next;
    private byte[] bytes;
    /** The body's media type, which decides the shapes the endpoint accepts. */
    private String contentType;
    private CspReportEndpoint endpoint;
    private List<CspEvent> last;
    private final ObjectMapper mapper = new ObjectMapper();

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        String resource = body.equals("report-uri") ? "report-uri-sample-inline-script.json" : "report-to-2-reports.json";
        contentType = body.equals("report-uri") ? CspReportEndpoint.CSP_REPORT : CspReportEndpoint.REPORTS_JSON;
        endpoint = CspReportEndpoint.builder().sink(CspEventSink.consuming(events -> last = events)).build();
        try (InputStream in = CspParseBenchmark.class.getResourceAsStream("/bodies/" + resource)) {
            bytes = in.readAllBytes();
        }
        variants = new byte[body.equals("report-to-unique") ? VARIANTS : 1][];
        variants[0] = bytes;
        String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 1; i < variants.length; i++) {
            variants[i] = text.replace("127.0.0.1:41639", "127.0.0.1:" + (20000 + i))
                    .replace("156.0.0.0", "156.0." + i + ".0").replace("report-to posthog", "report-to posthog-" + i)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        for (byte[] v : variants) {
            bytes = v;
            last = null;
            if (gatehouseResponse().status() != 204 || last == null || last.size() != 2 && variants.length > 1) {
                throw new IllegalStateException("variant not accepted: " + new String(v, java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        bytes = variants[0];
        Response r = gatehouseResponse();
        Object parsed = mapper.readValue(bytes, Object.class);
        int expected = parsed instanceof List<?> l ? l.size() : 1;
        if (r.status() != 204 || last == null || last.size() != expected) {
            throw new IllegalStateException("Gatehouse gave " + r.status() + " and " + (last == null ? 0 : last.size())
                    + " events for " + expected + " reports");
        }
    }

    private Response gatehouseResponse() {
        return endpoint.handleBody("token=phc_test&v=1&distinct_id=d&session_id=s", contentType, HeaderLookup.none(), bytes,
                bytes.length);
    }

    private byte[] nextBody() {
        byte[] b = variants[next];
        next = (next + 1) & (variants.length - 1);
        return b;
    }

    @Benchmark
    public Object gatehouseIntoEvents() {
        byte[] b = nextBody();
        endpoint.handleBody("token=phc_test&v=1&distinct_id=d&session_id=s", contentType, HeaderLookup.none(), b, b.length);
        return last;
    }

    @Benchmark
    public Object jacksonDatabindToMap() throws IOException {
        return mapper.readValue(nextBody(), Object.class);
    }
}
