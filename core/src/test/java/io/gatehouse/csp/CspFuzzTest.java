package io.gatehouse.csp;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gatehouse.csp.sink.CspEvent;
import io.gatehouse.csp.sink.CspEventSink;
import io.gatehouse.http.Response;
import io.gatehouse.internal.csp.CspRejection;
import io.gatehouse.proxy.HeaderLookup;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fuzz targets for the CSP endpoint: query strings and {@code sample_rate}, both body formats,
 * and the endpoint as a whole. It never throws, answers only SPEC's statuses with SPEC's bodies,
 * and every event it accepts serialises to JSON.
 */
class CspFuzzTest {
    private static final Set<Integer> STATUSES = Set.of(200, 204, 400, 401, 413);
    private static final Set<String> BODIES = Set.of("", "{\"status\": 1}", CspRejection.INVALID_PAYLOAD.body(),
            CspRejection.INVALID_FORMAT.body(), CspRejection.INVALID_PROPERTIES.body(), CspRejection.TOO_LARGE.body(),
            CspRejection.MISSING_API_KEY.body(), CspRejection.INVALID_API_KEY.body());

    @FuzzTest(maxDuration = "10m")
    void queryAndSampleRate(FuzzedDataProvider data) {
        String raw = data.consumeRemainingAsString();
        if (!CspReportEndpoint.Query.parse(raw).equals(QueryOracle.expected(raw))) {
            throw new AssertionError("query parameters of " + raw + ": " + CspReportEndpoint.Query.parse(raw));
        }
        double rate = CspReportEndpoint.sampleRate(raw);
        if (Double.isNaN(rate) != raw.strip().replaceFirst("^[+-]", "").equalsIgnoreCase("nan")) {
            throw new AssertionError("NaN only for nan: " + raw);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void legacyBody(FuzzedDataProvider data) throws IOException {
        answer("application/csp-report", "token=t&sample_rate=" + data.consumeString(8), data.consumeRemainingAsBytes());
    }

    @FuzzTest(maxDuration = "10m")
    void reportsJsonBody(FuzzedDataProvider data) throws IOException {
        answer("application/reports+json", "token=t", data.consumeRemainingAsBytes());
    }

    @FuzzTest(maxDuration = "10m")
    void wholeEndpoint(FuzzedDataProvider data) throws IOException {
        String method = data.pickValue(new String[] {"POST", "POST", "POST", "GET", "OPTIONS", "PUT", "post"});
        String type = data.pickValue(new String[] {"application/csp-report", "application/reports+json",
            "application/reports+json; charset=utf-8", "APPLICATION/CSP-REPORT", "application/json", "", "text/plain"});
        String query = data.consumeString(80);
        String origin = data.consumeString(40);
        List<CspEvent> events = new ArrayList<>();
        CspReportEndpoint e = CspReportEndpoint.builder().sink(CspEventSink.consuming(events::addAll)).maxBodyBytes(4096).maxReports(5)
                .tokens(data.consumeBoolean() ? Set.of("t") : null).build();
        Response r = e.handle(method, query, type, HeaderLookup.of(Map.of("Origin", List.of(origin))),
                new ByteArrayInputStream(data.consumeRemainingAsBytes()));
        checkResponse(r, events);
    }

    /**
     * The sampler's URL hash, of a String, a StringBuilder or any other CharSequence, is the
     * code-point hash of arbitrary UTF-16, lone surrogates included; the 64-bit one too.
     */
    @FuzzTest(maxDuration = "10m")
    void samplerUrlHash(FuzzedDataProvider data) {
        int n = data.consumeInt(0, 600);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n && data.remainingBytes() > 0; i++) {
            // Mostly ASCII with surrogates, CJK and the chars above the surrogates mixed in.
            int kind = data.consumeInt(0, 7);
            sb.append(kind < 4 ? (char) data.consumeInt(0x20, 0x7E)
                    : kind == 4 ? (char) data.consumeInt(0xD800, 0xDFFF) : kind == 5 ? (char) data.consumeInt(0xE000, 0xFFFF)
                    : data.consumeChar());
        }
        String url = sb.toString();
        long h31 = StringSampler.hash(url);
        int[] paths = {Samplers.urlHash32(url), Samplers.urlHash32(sb), Samplers.urlHash32(java.nio.CharBuffer.wrap(url))};
        for (int k = 0; k < paths.length; k++) {
            if (Integer.toUnsignedLong(paths[k]) != h31) {
                throw new AssertionError("URL hash path " + k + " gives " + paths[k] + ", not " + h31 + ", for " + url);
            }
        }
        if (Samplers.hash64(url, 0) != StringSampler.hash64(StringSampler.key(url, 0))) {
            throw new AssertionError("64-bit hash differs for " + url);
        }
    }

    private static void answer(String type, String query, byte[] body) throws IOException {
        List<CspEvent> events = new ArrayList<>();
        CspReportEndpoint e = CspReportEndpoint.builder().sink(CspEventSink.consuming(events::addAll)).maxBodyBytes(8192).build();
        checkResponse(e.handle("POST", query, type, HeaderLookup.none(), new ByteArrayInputStream(body)), events);
    }

    private static void checkResponse(Response r, List<CspEvent> events) {
        if (!STATUSES.contains(r.status())) {
            throw new AssertionError("undocumented status " + r.status());
        }
        if (!BODIES.contains(new String(r.body(), StandardCharsets.UTF_8))) {
            throw new AssertionError("undocumented body " + r.bodyText());
        }
        if (r.status() != 204 && !events.isEmpty()) {
            throw new AssertionError("events accepted with status " + r.status());
        }
        for (CspEvent ev : events) {
            String json = ev.toJson();
            if (!json.startsWith("{\"api_key\":") || !ev.properties().containsKey("$csp_raw_report")) {
                throw new AssertionError("bad event " + json);
            }
        }
        for (String v : r.headers().values()) {
            if (v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0) {
                throw new AssertionError("header injection: " + v);
            }
        }
    }
}
