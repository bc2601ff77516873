package io.gatehouse.csp.header;

import io.gatehouse.internal.Text;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Builds {@code Content-Security-Policy} (or {@code -Report-Only}) headers that report to the CSP
 * endpoint with {@code token} and optionally {@code sample_rate}, {@code v} and per-request
 * {@code distinct_id}/{@code session_id}.
 *
 * <p>Scheme-aware, because of what browsers do (Chromium 156, measured): Chromium ignores
 * {@code report-uri} whenever the policy has {@code report-to}, and honours
 * {@code Reporting-Endpoints} only on an https page for an https endpoint. So over https the policy
 * carries {@code report-uri} and {@code report-to} with a {@code Reporting-Endpoints} header (Firefox
 * and Safari use {@code report-uri}); over http, {@code report-uri} only, and a warning is logged
 * once when {@code report-to} was asked for but cannot work. Immutable and thread-safe.
 */
public final class ContentSecurityPolicy {
    private static final System.Logger LOG = System.getLogger(ContentSecurityPolicy.class.getName());

    /** The headers for one response. */
    public record Headers(String policyHeaderName, String policy, @Nullable String reportingEndpoints) {
        /** Calls {@code header} for each header to set ({@code Reporting-Endpoints} only when present). */
        public void forEach(BiConsumer<String, String> header) {
            header.accept(policyHeaderName, policy);
            if (reportingEndpoints != null) {
                header.accept("Reporting-Endpoints", reportingEndpoints);
            }
        }
    }

    private final Map<String, List<String>> directives;
    private final boolean reportOnly;
    private final @Nullable String endpoint;
    private final boolean endpointIsHttp;
    private final String staticQuery;
    private final boolean reportTo;
    private final String group;
    private final String directivesText;
    private final Consumer<String> reporter;
    private final AtomicBoolean warned = new AtomicBoolean();
    /** {@link #headers(boolean)}'s answers, once made (immutable records: safe to publish racily). */
    private volatile @Nullable Headers httpsHeaders;
    private volatile @Nullable Headers httpHeaders;

    private ContentSecurityPolicy(Builder b) {
        this.directives = b.directives;
        this.reportOnly = b.reportOnly;
        this.endpoint = b.endpoint;
        this.endpointIsHttp = b.endpoint != null && b.endpoint.regionMatches(true, 0, "http://", 0, 7);
        this.reportTo = b.reportTo;
        this.group = b.group;
        this.reporter = b.reporter;
        StringBuilder q = new StringBuilder();
        if (b.token != null) {
            q.append("token=").append(encode(b.token));
            if (b.sampleRate != null) {
                q.append("&sample_rate=").append(b.sampleRate);
            }
            if (b.version != null) {
                q.append("&v=").append(encode(b.version));
            }
        }
        this.staticQuery = q.toString();
        StringBuilder d = new StringBuilder();
        directives.forEach((name, sources) -> {
            if (d.length() > 0) {
                d.append("; ");
            }
            d.append(name);
            for (String s : sources) {
                d.append(' ').append(s);
            }
        });
        this.directivesText = d.toString();
    }

    /** A builder; report-only off, {@code report-to} on with group {@code posthog}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Headers for a response to a request over {@code https} (or not), without per-request ids. */
    public Headers headers(boolean https) {
        // The same two answers for every response: made once each (a lost race makes one twice).
        Headers h = https ? httpsHeaders : httpHeaders;
        if (h == null) {
            h = headers(https, null, null);
            if (https) {
                httpsHeaders = h;
            } else {
                httpHeaders = h;
            }
        }
        return h;
    }

    /**
     * Headers for a response to a request over {@code https} (or not), reporting with these ids
     * (null for none).
     */
    public Headers headers(boolean https, @Nullable String distinctId, @Nullable String sessionId) {
        String name = reportOnly ? "Content-Security-Policy-Report-Only" : "Content-Security-Policy";
        if (endpoint == null) {
            return new Headers(name, directivesText, null);
        }
        StringBuilder url = new StringBuilder(endpoint.length() + staticQuery.length() + 64).append(endpoint);
        String query = staticQuery;
        if (distinctId != null) {
            query += (query.isEmpty() ? "" : "&") + "distinct_id=" + encode(distinctId);
        }
        if (sessionId != null) {
            query += (query.isEmpty() ? "" : "&") + "session_id=" + encode(sessionId);
        }
        if (!query.isEmpty()) {
            url.append(endpoint.indexOf('?') >= 0 ? '&' : '?').append(query);
        }
        StringBuilder policy = new StringBuilder(directivesText);
        if (policy.length() > 0) {
            policy.append("; ");
        }
        policy.append("report-uri ").append(url);
        String reportingEndpoints = null;
        if (reportTo) {
            if (https && !endpointIsHttp) {
                policy.append("; report-to ").append(group);
                reportingEndpoints = group + "=\"" + url + "\"";
            } else if (warned.compareAndSet(false, true)) {
                reporter.accept("CSP report-to was asked for, but " + (endpointIsHttp ? "the report endpoint is http"
                        : "the page is served over http") + ": Chromium delivers Reporting API reports only from an https"
                        + " page to an https endpoint, and ignores report-uri when report-to is present, so only"
                        + " report-uri is sent");
            }
        }
        return new Headers(name, policy.toString(), reportingEndpoints);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ContentSecurityPolicy{" + (reportOnly ? "report-only " : "") + directivesText + ", endpoint=" + endpoint + "}";
    }

    /** Builds a {@link ContentSecurityPolicy}. */
    public static final class Builder {
        private final Map<String, List<String>> directives = new LinkedHashMap<>();
        private boolean reportOnly;
        private @Nullable String endpoint;
        private @Nullable String token;
        private @Nullable String sampleRate;
        private @Nullable String version;
        private boolean reportTo = true;
        private String group = "posthog";
        private Consumer<String> reporter = m -> LOG.log(System.Logger.Level.WARNING, m);

        private Builder() {
        }

        /**
         * Adds a directive, e.g. {@code directive("img-src", "'self'", "https://cdn.example")}. Sources
         * may not hold whitespace, {@code ;}, {@code ,} or control characters (no header injection).
         * {@code report-uri} and {@code report-to} are managed by {@link #reportTo(String)}.
         */
        public Builder directive(String name, String... sources) {
            String n = Objects.requireNonNull(name, "name").toLowerCase(Locale.ROOT);
            if (n.isEmpty() || !n.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                throw new IllegalArgumentException("invalid CSP directive name " + Text.quote(name));
            }
            if (n.equals("report-uri") || n.equals("report-to")) {
                throw new IllegalArgumentException(n + " is set by reportTo(...), not as a directive");
            }
            List<String> list = directives.computeIfAbsent(n, k -> new ArrayList<>());
            for (String s : sources) {
                checkToken(s, "source of " + n);
                list.add(s);
            }
            return this;
        }

        /** Report-only ({@code Content-Security-Policy-Report-Only}) instead of enforcing. */
        public Builder reportOnly(boolean reportOnly) {
            this.reportOnly = reportOnly;
            return this;
        }

        /**
         * The report endpoint: a path such as {@code /report/} (same origin as the page) or an absolute
         * URL such as {@code https://app.example.com/report/}.
         */
        public Builder reportTo(String endpointUrl) {
            checkToken(endpointUrl, "report endpoint");
            if (!(endpointUrl.startsWith("/") || endpointUrl.regionMatches(true, 0, "https://", 0, 8)
                    || endpointUrl.regionMatches(true, 0, "http://", 0, 7)) || endpointUrl.indexOf('"') >= 0
                    || endpointUrl.indexOf('\\') >= 0) {
                throw new IllegalArgumentException("report endpoint must be a path or an http(s) URL: " + Text.quote(endpointUrl));
            }
            this.endpoint = endpointUrl;
            return this;
        }

        /** The project token the reports carry (required with an endpoint). */
        public Builder token(String token) {
            if (token == null || token.isEmpty()) {
                throw new IllegalArgumentException("token must not be empty");
            }
            this.token = token;
            return this;
        }

        /** {@code sample_rate}, 0-1 (optional). */
        public Builder sampleRate(double rate) {
            if (!(rate >= 0 && rate <= 1)) {
                throw new IllegalArgumentException("sample rate must be between 0 and 1: " + rate);
            }
            this.sampleRate = Double.toString(rate);
            return this;
        }

        /** {@code v}: the policy version reported as {@code $csp_version} (optional). */
        public Builder version(String version) {
            this.version = Objects.requireNonNull(version, "version");
            return this;
        }

        /** Whether to use {@code report-to} where it works (https); default true. */
        public Builder useReportTo(boolean use) {
            this.reportTo = use;
            return this;
        }

        /** The {@code report-to} group name (default {@code posthog}). */
        public Builder reportingGroup(String group) {
            if (group == null || group.isEmpty() || !group.chars().allMatch(c -> (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                throw new IllegalArgumentException("group must be lower-case letters, digits, - or _: " + Text.quote(group));
            }
            this.group = group;
            return this;
        }

        /** Where the once-only warning goes (default: the {@code System.Logger} of this class). */
        public Builder reporter(Consumer<String> reporter) {
            this.reporter = Objects.requireNonNull(reporter, "reporter");
            return this;
        }

        /** The policy. */
        public ContentSecurityPolicy build() {
            if (endpoint != null && token == null) {
                throw new IllegalArgumentException("a report endpoint needs a token");
            }
            return new ContentSecurityPolicy(this);
        }

        private static void checkToken(String s, String what) {
            if (s == null || s.isEmpty()) {
                throw new IllegalArgumentException(what + " must not be empty");
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c <= ' ' || c == 0x7f || c == ';' || c == ',' || c > 0x7e) {
                    throw new IllegalArgumentException(what + " " + Text.quote(s) + " has a forbidden character at index "
                            + i + " (whitespace, ';', ',', control or non-ASCII)");
                }
            }
        }
    }
}
