package io.gatehouse.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.csp.CspEvent;
import io.gatehouse.csp.CspReportEndpoint;
import io.gatehouse.csp.CspResponse;
import io.gatehouse.proxy.HeaderLookup;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A real Chromium 156 report body into {@code $csp_violation} events (the endpoint's whole body
 * path: bounded parse, shape checks, event mapping) vs Jackson databind reading the same bytes
 * into a {@code Map}/{@code List} (parsing only). Bodies: a two-report {@code report-to} batch of
 * about 1 KB, and a legacy {@code report-uri} body.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(3)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@State(Scope.Thread)
public class CspParseBenchmark {
    @Param({"report-to-2-reports", "report-uri"})
    public String body;

    private byte[] bytes;
    private CspReportEndpoint endpoint;
    private List<CspEvent> last;
    private final ObjectMapper mapper = new ObjectMapper();

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        String resource = body.equals("report-uri") ? "report-uri-sample-inline-script.json" : "report-to-2-reports.json";
        try (InputStream in = CspParseBenchmark.class.getResourceAsStream("/bodies/" + resource)) {
            bytes = in.readAllBytes();
        }
        endpoint = CspReportEndpoint.builder().sink(events -> last = events).build();
        CspResponse r = gatehouseResponse();
        Object parsed = mapper.readValue(bytes, Object.class);
        int expected = parsed instanceof List<?> l ? l.size() : 1;
        if (r.status() != 204 || last == null || last.size() != expected) {
            throw new IllegalStateException("Gatehouse gave " + r.status() + " and " + (last == null ? 0 : last.size())
                    + " events for " + expected + " reports");
        }
    }

    private CspResponse gatehouseResponse() {
        return endpoint.handleBody("token=phc_test&v=1&distinct_id=d&session_id=s", HeaderLookup.none(), bytes, bytes.length);
    }

    @Benchmark
    public Object gatehouseIntoEvents() {
        gatehouseResponse();
        return last;
    }

    @Benchmark
    public Object jacksonDatabindToMap() throws IOException {
        return mapper.readValue(bytes, Object.class);
    }
}
