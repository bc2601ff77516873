package io.gatehouse.csp;

import com.fasterxml.jackson.core.JsonFactory;
import io.gatehouse.csp.sink.Admission;
import io.gatehouse.csp.sink.CspEvent;
import io.gatehouse.csp.sink.CspEventSink;
import io.gatehouse.http.Response;
import io.gatehouse.internal.Text;
import io.gatehouse.internal.csp.ArrayMap;
import io.gatehouse.internal.csp.CspJson;
import io.gatehouse.internal.csp.CspRejection;
import io.gatehouse.internal.csp.CspReportParser;
import io.gatehouse.internal.csp.CspViolation;
import io.gatehouse.internal.csp.StringCache;
import io.gatehouse.proxy.HeaderLookup;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * PostHog's CSP report endpoint ({@code POST /report/}), framework-neutral, answering as PostHog's
 * does and emitting its {@code $csp_violation} events: (method, query, content type, headers, body) in; (status, headers, body) out, and events to a
 * {@link CspEventSink}. Checks run in this order: {@code OPTIONS}; method and content type; token
 * (before the body is read); body size (while reading); JSON syntax; shape; report count. Never
 * throws for anything a client sends. Thread-safe.
 */
public final class CspReportEndpoint {
    private static final System.Logger LOG = System.getLogger(CspReportEndpoint.class.getName());
    /** The media type of legacy {@code report-uri} reports (and Safari's single Reporting API object). */
    public static final String CSP_REPORT = "application/csp-report";
    /** The media type of Reporting API batches. */
    public static final String REPORTS_JSON = "application/reports+json";

    private static final List<String> EXTENSION_SCHEMES = List.of("chrome-extension:", "moz-extension:",
            "safari-extension:", "safari-web-extension:", "ms-browser-extension:");
    private static final byte[] OPTIONS_BODY = "{\"status\": 1}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SINK_ERROR_BODY = ("{\"type\":\"server_error\",\"code\":\"csp_sink_unavailable\","
            + "\"detail\":\"CSP report could not be stored\",\"attr\":null}").getBytes(StandardCharsets.UTF_8);
    private static final byte[] EMPTY = new byte[0];
    private static final Map<String, String> JSON_HEADERS = Map.of("Content-Type", "application/json");
    /** The answer to an accepted report without an {@code Origin}: immutable, so shared. */
    private static final Response NO_CONTENT = Response.empty(204);

    /** The event properties in PostHog's order; {@code $csp_user_agent} only for Reporting API reports. */
    private static final String[] LEGACY = {"$session_id", "$csp_version", "$current_url", "$process_person_profile",
        "$raw_user_agent", "$csp_report_type", "$csp_document_url", "$csp_referrer", "$csp_violated_directive",
        "$csp_effective_directive", "$csp_original_policy", "$csp_disposition", "$csp_blocked_url",
        "$csp_line_number", "$csp_column_number", "$csp_source_file", "$csp_status_code", "$csp_script_sample",
        "$csp_raw_report"};
    private static final String[] REPORTING = insertBefore(LEGACY, "$csp_raw_report", "$csp_user_agent");
    private static final String[] SAMPLING = {"$csp_csp_sampled", "$csp_csp_sample_threshold", "$csp_csp_sampling_key"};
    private static final String[] LEGACY_SAMPLED = concat(LEGACY, SAMPLING);
    private static final String[] REPORTING_SAMPLED = concat(REPORTING, SAMPLING);

    private static String[] insertBefore(String[] keys, String before, String key) {
        List<String> l = new ArrayList<>(List.of(keys));
        l.add(l.indexOf(before), key);
        return l.toArray(new String[0]);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private final String path;
    private final int maxBodyBytes;
    private final int maxReports;
    private final @Nullable Set<String> tokens;
    private final boolean dropExtensionReports;
    private final CspEventSink sink;
    private final CspSampler sampler;
    private final Clock clock;
    private final RandomGenerator random;
    private final CspCounters counters;
    private final JsonFactory json;
    /** Report values repeat (policy, user agent, URLs): shared, not re-created, per endpoint. */
    private final StringCache strings = new StringCache(512);

    private CspReportEndpoint(Builder b) {
        this.path = b.path;
        this.maxBodyBytes = b.maxBodyBytes;
        this.maxReports = b.maxReports;
        this.tokens = b.tokens == null ? null : Set.copyOf(b.tokens);
        this.dropExtensionReports = b.dropExtensionReports;
        this.sink = Objects.requireNonNull(b.sink, "sink");
        this.sampler = b.sampler;
        this.clock = b.clock;
        this.random = b.random;
        this.counters = b.counters;
        this.json = CspJson.factory(maxBodyBytes);
        sink.bindTo(counters.sinkMetrics());
    }

    /** A builder: path {@code /report}, 1 MiB, 100 reports, any token, extension noise dropped. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether {@code requestPath} is this endpoint ({@code /report} or {@code /report/}). */
    public boolean matches(String requestPath) {
        return requestPath != null && requestPath.startsWith(path)
                && (requestPath.length() == path.length()
                    || (requestPath.length() == path.length() + 1 && requestPath.charAt(path.length()) == '/'));
    }

    /** The path, without a trailing slash. */
    public String path() {
        return path;
    }

    /** The body limit in bytes. */
    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    /** The counters this endpoint and its sink update. */
    public CspCounters counters() {
        return counters;
    }

    /**
     * Handles a whole request, reading at most {@code maxBodyBytes + 1} bytes of {@code body}: what
     * an adapter does with {@link #beforeBody} and a {@link ReportBody}, for callers that have the
     * body as a blocking stream.
     *
     * @param rawQuery the query string without {@code ?}, not decoded; may be null
     * @throws IOException only when reading {@code body} fails (the adapter closes the connection)
     */
    public Response handle(String method, @Nullable String rawQuery, @Nullable String contentType, HeaderLookup headers,
                           InputStream body) throws IOException {
        Optional<Response> early = beforeBody(method, rawQuery, contentType, headers);
        if (early.isPresent()) {
            return early.get();
        }
        // A stream that is always ready is read to its end: an answer, never null.
        return Objects.requireNonNull(readBody(rawQuery, contentType, headers, Long.MAX_VALUE).readFrom(body, () -> true));
    }

    /**
     * The checks that need no body: {@code OPTIONS}, method, content type, token, and a declared
     * {@code Content-Length} over the limit. The body is read (with {@link #readBody}) only when this
     * is empty; an answer given here leaves the body unread.
     */
    public Optional<Response> beforeBody(String method, @Nullable String rawQuery, @Nullable String contentType,
                                         HeaderLookup headers) {
        if ("OPTIONS".equals(method)) {
            return Optional.of(respond(200, OPTIONS_BODY, headers, true));
        }
        if (!"POST".equals(method) || mediaType(contentType) == null) {
            return Optional.of(reject(CspRejection.INVALID_PAYLOAD, headers));
        }
        CspRejection refused = tokenRejection(query(rawQuery).projectToken());
        if (refused != null) {
            return Optional.of(reject(refused, headers));
        }
        if (declaredTooLarge(headers)) {
            return Optional.of(tooLarge(headers));
        }
        return Optional.empty();
    }

    /**
     * Starts reading the body of a request that {@link #beforeBody} let through: the adapter feeds
     * what arrives to the {@link ReportBody} and writes the answer it gives.
     *
     * @param timeoutNanos how long the whole body may take to arrive ({@link ReportBody#timedOut})
     */
    public ReportBody readBody(@Nullable String rawQuery, @Nullable String contentType, HeaderLookup headers,
                               long timeoutNanos) {
        return new ReportBody(this, rawQuery, contentType, headers, timeoutNanos);
    }

    /** Whether a {@code Content-Length} header already says the body is over the limit. */
    boolean declaredTooLarge(HeaderLookup headers) {
        String cl = headers.first("Content-Length");
        if (cl == null) {
            return false;
        }
        try {
            return Long.parseLong(cl.strip()) > maxBodyBytes;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The 413 answer, for a reader that stops at the limit. */
    Response tooLarge(HeaderLookup headers) {
        return reject(CspRejection.TOO_LARGE, headers);
    }

    /**
     * Handles a request whose body has been read ({@code body[0, length)}, at most the limit) after
     * {@link #beforeBody} let it through, taking the media type from the request's
     * {@code Content-Type} header in {@code headers}: as
     * {@link #handleBody(String, String, HeaderLookup, byte[], int)} with
     * {@code headers.first("Content-Type")}.
     */
    public Response handleBody(@Nullable String rawQuery, HeaderLookup headers, byte[] body, int length) {
        return handleBody(rawQuery, headers.first("Content-Type"), headers, body, length);
    }

    /**
     * Handles a request whose body has been read ({@code body[0, length)}, at most the limit) after
     * {@link #beforeBody} let it through. The media type of {@code contentType} decides which shapes
     * the body may take: a list sent as {@code application/csp-report}, or a legacy
     * {@code {"csp-report": ...}} body sent as {@code application/reports+json}, answers 400
     * "Invalid CSP report properties provided". A content type this endpoint does not take
     * (including none) answers 400 {@code invalid_payload}, as in {@link #beforeBody}.
     */
    public Response handleBody(@Nullable String rawQuery, @Nullable String contentType, HeaderLookup headers,
                               byte[] body, int length) {
        CspReportParser.Format format = format(contentType);
        if (format == null) {
            return reject(CspRejection.INVALID_PAYLOAD, headers);
        }
        if (length > maxBodyBytes) {
            return tooLarge(headers);
        }
        CspReportParser.Result result = CspReportParser.parse(json, strings, body, length, format, maxReports);
        if (result instanceof CspReportParser.Rejected r) {
            return reject(r.reason(), headers);
        }
        CspReportParser.Parsed parsed = (CspReportParser.Parsed) result;
        Query q = query(rawQuery);
        String token = q.projectToken();
        // beforeBody checked the token already when the adapter called it; a caller that went
        // straight here gets the same answer rather than an event without a token.
        CspRejection refused = tokenRejection(token);
        if (refused != null || token == null) {
            return reject(refused != null ? refused : CspRejection.MISSING_API_KEY, headers);
        }
        double rate = sampleRate(q.sampleRate());
        if (Double.isNaN(rate)) {
            return reject(CspRejection.INVALID_PROPERTIES, headers);
        }
        counters.reportsReceived.add(parsed.total());
        if (parsed.ignored() > 0) {
            counters.ignoredNonCsp.add(parsed.ignored());
        }
        List<CspEvent> events = events(parsed.violations(), q, token, headers, rate);
        if (!events.isEmpty()) {
            Admission admission;
            try {
                admission = sink.offer(events);
            } catch (RuntimeException e) {
                counters.sinkErrors.increment();
                LOG.log(System.Logger.Level.ERROR, "CSP event sink failed on " + events.size()
                        + " events; answered 503 so the browser retries", e);
                return respond(503, SINK_ERROR_BODY, headers, true);
            }
            if (admission instanceof Admission.Refused r) {
                counters.sinkErrors.increment();
                LOG.log(System.Logger.Level.WARNING, "CSP event sink refused " + events.size() + " events ("
                        + r.reason() + "); answered 503 so the browser retries");
                return respond(503, SINK_ERROR_BODY, headers, true);
            }
            counters.eventsAccepted.add(events.size());
        }
        return respond(204, EMPTY, headers, false);
    }

    /** A query string and what it says. */
    private record ParsedQuery(String raw, Query query) {
    }

    /**
     * The last query read: a site's reports all come to the {@code report-uri} its policy names, so
     * the same query string arrives again and again. A race only costs a parse.
     */
    private volatile ParsedQuery lastQuery = new ParsedQuery("", Query.NONE);

    private Query query(@Nullable String rawQuery) {
        if (rawQuery == null) {
            return Query.NONE;
        }
        ParsedQuery last = lastQuery;
        if (last.raw().equals(rawQuery)) {
            return last.query();
        }
        Query q = Query.parse(rawQuery, strings);
        lastQuery = new ParsedQuery(rawQuery, q);
        return q;
    }

    /** Why a request with this project token is refused (none, or not an accepted one), or null. */
    private @Nullable CspRejection tokenRejection(@Nullable String token) {
        if (token == null) {
            return CspRejection.MISSING_API_KEY;
        }
        return tokens != null && !tokens.contains(token) ? CspRejection.INVALID_API_KEY : null;
    }

    private List<CspEvent> events(List<CspViolation> violations, Query q, String token, HeaderLookup headers,
                                  double rate) {
        List<CspEvent> out = new ArrayList<>(violations.size());
        long now = clock.millis();
        Instant timestamp = Instant.ofEpochMilli(now);
        String distinctId = null;
        String sessionId = null;
        String version = nonEmpty(q.version());
        String userAgent = headers.first("User-Agent");
        for (CspViolation v : violations) {
            if (dropExtensionReports && (isExtension(v.blockedUrl()) || isExtension(v.sourceFile()))) {
                counters.droppedExtension.increment();
                continue;
            }
            if (rate <= 0 || (rate < 1 && !sampler.keep(v.documentUrlText(), now, rate))) {
                counters.sampledOut.increment();
                continue;
            }
            if (distinctId == null) {
                distinctId = nonEmpty(q.distinctId());
                if (distinctId == null) {
                    distinctId = Uuid7.generate(now, random).toString();
                }
                sessionId = nonEmpty(q.sessionId());
                if (sessionId == null) {
                    sessionId = Uuid7.generate(now, random).toString();
                }
            }
            boolean sampled = rate < 1;
            String[] keys = v.legacy() ? (sampled ? LEGACY_SAMPLED : LEGACY) : (sampled ? REPORTING_SAMPLED : REPORTING);
            @Nullable Object[] values = new @Nullable Object[keys.length];
            int i = 0;
            values[i++] = sessionId;
            values[i++] = version == null ? "unknown" : version;
            values[i++] = v.documentUrl();
            values[i++] = Boolean.FALSE;
            values[i++] = userAgent;
            values[i++] = v.reportType();
            values[i++] = v.documentUrl();
            values[i++] = v.referrer();
            values[i++] = v.violatedDirective();
            values[i++] = v.effectiveDirective();
            values[i++] = v.originalPolicy();
            values[i++] = v.disposition();
            values[i++] = v.blockedUrl();
            values[i++] = v.lineNumber();
            values[i++] = v.columnNumber();
            values[i++] = v.sourceFile();
            values[i++] = v.statusCode();
            values[i++] = v.scriptSample();
            if (!v.legacy()) {
                values[i++] = v.userAgent();
            }
            values[i++] = v.rawReport();
            if (sampled) {
                values[i++] = Boolean.TRUE;
                values[i++] = rate;
                values[i++] = CspSampler.key(v.documentUrlText(), now);
            }
            Map<String, Object> p = new ArrayMap(keys, values);
            out.add(new CspEvent(token, distinctId, timestamp, p));
        }
        return out;
    }

    private static boolean isExtension(Object url) {
        if (!(url instanceof String s) || s.isEmpty()) {
            return false;
        }
        // Every extension scheme starts with c, m or s: most URLs are settled by their first char.
        char first = (char) (s.charAt(0) | 0x20);
        if (first != 'c' && first != 'm' && first != 's') {
            return false;
        }
        for (String scheme : EXTENSION_SCHEMES) {
            if (s.regionMatches(true, 0, scheme, 0, scheme.length())) {
                return true;
            }
        }
        return false;
    }

    private Response reject(CspRejection r, HeaderLookup headers) {
        counters.rejected(r);
        return respond(r.status(), r.bodyBytes(), headers, true);
    }

    private static Response respond(int status, byte[] body, HeaderLookup headers, boolean json) {
        String origin = headers.first("Origin");
        if (origin == null) {
            return status == 204 && !json ? NO_CONTENT : Response.of(status, json ? JSON_HEADERS : Map.of(), body);
        }
        Map<String, String> h = new LinkedHashMap<>();
        if (json) {
            h.put("Content-Type", "application/json");
        }
        String allowed = allowedOrigin(origin.strip());
        if (allowed != null) {
            h.put("Access-Control-Allow-Origin", allowed);
            h.put("Access-Control-Allow-Credentials", "true");
            h.put("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
            h.put("Access-Control-Allow-Headers", "X-Requested-With,Content-Type");
        }
        return Response.of(status, h, body);
    }

    /**
     * The origin's {@code scheme://host[:port]} ({@code *} for {@code null}), or null when it is not
     * a well-formed origin (nothing unchecked is echoed into a header).
     */
    static @Nullable String allowedOrigin(String origin) {
        if (origin.equals("null")) {
            return "*";
        }
        int sep = origin.indexOf("://");
        if (sep <= 0) {
            return null;
        }
        String scheme = origin.substring(0, sep);
        if (!scheme.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '+' || c == '-' || c == '.')) {
            return null;
        }
        String rest = origin.substring(sep + 3);
        int end = rest.length();
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (c == '/' || c == '?' || c == '#') {
                end = i;
                break;
            }
        }
        String netloc = rest.substring(0, end);
        return io.gatehouse.internal.http.Hosts.isHostAndPort(netloc) ? scheme.toLowerCase(Locale.ROOT) + "://" + netloc : null;
    }

    /**
     * The media type without parameters, lower case ({@link #CSP_REPORT} or {@link #REPORTS_JSON}),
     * when it is one this endpoint takes; else null. Surrounding whitespace is ignored and letters
     * are compared ASCII case-insensitively, in place: nothing is allocated.
     */
    static @Nullable String mediaType(@Nullable String contentType) {
        if (contentType == null) {
            return null;
        }
        int semi = contentType.indexOf(';');
        int end = semi < 0 ? contentType.length() : semi;
        while (end > 0 && Character.isWhitespace(contentType.charAt(end - 1))) {
            end--;
        }
        int start = 0;
        while (start < end && Character.isWhitespace(contentType.charAt(start))) {
            start++;
        }
        if (isAsciiLowerCaseOf(contentType, start, end, CSP_REPORT)) {
            return CSP_REPORT;
        }
        if (isAsciiLowerCaseOf(contentType, start, end, REPORTS_JSON)) {
            return REPORTS_JSON;
        }
        return null;
    }

    /** Whether {@code s[start, end)} is {@code lower} (lower-case ASCII) but for the case of ASCII letters. */
    private static boolean isAsciiLowerCaseOf(String s, int start, int end, String lower) {
        if (end - start != lower.length()) {
            return false;
        }
        for (int i = 0; i < lower.length(); i++) {
            char c = s.charAt(start + i);
            if (c != lower.charAt(i) && !(c >= 'A' && c <= 'Z' && (char) (c + ('a' - 'A')) == lower.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** The body format of a content type, or null when this endpoint does not take it. */
    static CspReportParser.@Nullable Format format(@Nullable String contentType) {
        String media = mediaType(contentType);
        return media == null ? null
                : media == CSP_REPORT ? CspReportParser.Format.CSP_REPORT : CspReportParser.Format.REPORTS_JSON;
    }

    private static @Nullable String nonEmpty(@Nullable String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** A decimal or exponent number: compiled once, not at every request that names a rate. */
    private static final java.util.regex.Pattern DECIMAL =
            java.util.regex.Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    /**
     * {@code sample_rate}: trimmed; a decimal or exponent number, or {@code inf}/{@code infinity}
     * (any case, optional sign); {@code nan} (any case) gives NaN (a 400); anything else 1.0.
     */
    static double sampleRate(@Nullable String raw) {
        if (raw == null) {
            return 1.0;
        }
        String s = raw.strip();
        String lower = s.toLowerCase(Locale.ROOT);
        String unsigned = lower.startsWith("+") || lower.startsWith("-") ? lower.substring(1) : lower;
        if (unsigned.equals("nan")) {
            return Double.NaN;
        }
        if (unsigned.equals("inf") || unsigned.equals("infinity")) {
            return lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (s.length() > 64 || !DECIMAL.matcher(s).matches()) {
            return 1.0;
        }
        return Double.parseDouble(s);
    }

    /**
     * The query parameters the endpoint reads, form-decoded (a malformed escape keeps the raw text;
     * {@code ""} for a name without {@code =}; the last of a repeated name wins; null when absent),
     * found in one pass over the raw query: only their values are decoded or copied.
     */
    record Query(@Nullable String token, @Nullable String apiKey, @Nullable String version, @Nullable String distinctId,
                 @Nullable String sessionId, @Nullable String sampleRate) {
        static final Query NONE = new Query(null, null, null, null, null, null);
        private static final String[] NAMES = {"token", "api_key", "v", "distinct_id", "session_id", "sample_rate"};

        static Query parse(@Nullable String raw) {
            return parse(raw, null);
        }

        /** Parses, sharing repeated plain values (the token, the version) through {@code strings} (may be null). */
        static Query parse(@Nullable String raw, @Nullable StringCache strings) {
            if (raw == null || raw.isEmpty()) {
                return NONE;
            }
            @Nullable String token = null;
            @Nullable String apiKey = null;
            @Nullable String version = null;
            @Nullable String distinctId = null;
            @Nullable String sessionId = null;
            @Nullable String sampleRate = null;
            int start = 0;
            int n = raw.length();
            while (start < n) {
                int amp = raw.indexOf('&', start);
                int end = amp < 0 ? n : amp;
                if (end > start) {
                    int eq = raw.indexOf('=', start);
                    int nameEnd = eq < 0 || eq > end ? end : eq;
                    int which = which(raw, start, nameEnd);
                    if (which >= 0) {
                        String value = nameEnd == end ? "" : value(raw, nameEnd + 1, end, strings);
                        switch (which) {
                            case 0 -> token = value;
                            case 1 -> apiKey = value;
                            case 2 -> version = value;
                            case 3 -> distinctId = value;
                            case 4 -> sessionId = value;
                            default -> sampleRate = value;
                        }
                    }
                }
                start = end + 1;
            }
            return new Query(token, apiKey, version, distinctId, sessionId, sampleRate);
        }

        private static String value(String raw, int from, int to, @Nullable StringCache strings) {
            return strings != null && isPlain(raw, from, to) ? strings.get(raw, from, to)
                    : decode(raw.substring(from, to));
        }

        /** The index in NAMES of the (decoded) name {@code raw[start, end)}, or -1. */
        private static int which(String raw, int start, int end) {
            if (!isPlain(raw, start, end)) {
                return List.of(NAMES).indexOf(decode(raw.substring(start, end)));
            }
            for (int k = 0; k < NAMES.length; k++) {
                if (NAMES[k].length() == end - start && raw.startsWith(NAMES[k], start)) {
                    return k;
                }
            }
            return -1;
        }

        /** Whether {@code raw[from, to)} decodes to itself (no {@code %} escape, no {@code +}). */
        private static boolean isPlain(String raw, int from, int to) {
            for (int i = from; i < to; i++) {
                char c = raw.charAt(i);
                if (c == '%' || c == '+') {
                    return false;
                }
            }
            return true;
        }

        /** {@code token}, else {@code api_key}, ignoring empty values; null when neither. */
        @Nullable String projectToken() {
            String t = nonEmpty(token);
            return t != null ? t : nonEmpty(apiKey);
        }
    }

    private static String decode(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    @Override
    public String toString() {
        return "CspReportEndpoint{path=" + path + ", maxBodyBytes=" + maxBodyBytes + ", maxReports=" + maxReports
                + ", tokens=" + (tokens == null ? "any" : tokens.size()) + ", dropExtensionReports=" + dropExtensionReports
                + ", sampler=" + sampler + "}";
    }

    /** Builds a {@link CspReportEndpoint}. */
    public static final class Builder {
        private String path = "/report";
        private int maxBodyBytes = 1 << 20;
        private int maxReports = 100;
        private @Nullable Set<String> tokens;
        private boolean dropExtensionReports = true;
        private @Nullable CspEventSink sink;
        private CspSampler sampler = CspSampler.posthog();
        private Clock clock = Clock.systemUTC();
        private RandomGenerator random = () -> java.util.concurrent.ThreadLocalRandom.current().nextLong();
        private CspCounters counters = new CspCounters();

        private Builder() {
        }

        /** {@code GATEHOUSE_CSP_PATH}: the path without a trailing slash (default {@code /report}). */
        public Builder path(String path) {
            if (path == null || !path.startsWith("/") || path.length() < 2 || path.endsWith("/")) {
                throw new IllegalArgumentException("path must be absolute without a trailing slash: " + Text.quote(path));
            }
            this.path = path;
            return this;
        }

        /** {@code GATEHOUSE_CSP_MAX_BODY_BYTES} (default 1 MiB). */
        public Builder maxBodyBytes(int maxBodyBytes) {
            if (maxBodyBytes < 1) {
                throw new IllegalArgumentException("maxBodyBytes must be positive: " + maxBodyBytes);
            }
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        /**
         * {@code GATEHOUSE_CSP_MAX_REPORTS} (default 100): the most {@code csp-violation} reports one
         * body may carry (413 beyond); reports of other types in a batch do not count.
         */
        public Builder maxReports(int maxReports) {
            if (maxReports < 1) {
                throw new IllegalArgumentException("maxReports must be positive: " + maxReports);
            }
            this.maxReports = maxReports;
            return this;
        }

        /** {@code GATEHOUSE_CSP_TOKENS}: the accepted tokens; null or empty accepts any non-empty token. */
        public Builder tokens(@Nullable Set<String> tokens) {
            this.tokens = tokens == null || tokens.isEmpty() ? null : Set.copyOf(tokens);
            return this;
        }

        /** {@code GATEHOUSE_CSP_DROP_EXTENSION_REPORTS} (default true). */
        public Builder dropExtensionReports(boolean drop) {
            this.dropExtensionReports = drop;
            return this;
        }

        /** Where accepted events go (required). */
        public Builder sink(CspEventSink sink) {
            this.sink = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /** The sampler (default {@link CspSampler#posthog()}). */
        public Builder sampler(CspSampler sampler) {
            this.sampler = Objects.requireNonNull(sampler, "sampler");
            return this;
        }

        /** The clock for timestamps, sampling minutes and UUIDv7s (default UTC system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Randomness for the UUIDv7s that stand in for a missing {@code distinct_id} or
         * {@code session_id} (default {@code ThreadLocalRandom}: these ids name anonymous visitors
         * and are not secrets, while a {@code SecureRandom} takes a lock per report).
         */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * The counters to update (default a fresh instance). The sink is bound to them when the
         * endpoint is built, so its deliveries are counted here too.
         */
        public Builder counters(CspCounters counters) {
            this.counters = Objects.requireNonNull(counters, "counters");
            return this;
        }

        /** The endpoint. */
        public CspReportEndpoint build() {
            return new CspReportEndpoint(this);
        }
    }
}
