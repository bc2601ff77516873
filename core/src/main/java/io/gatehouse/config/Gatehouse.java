package io.gatehouse.config;

import io.gatehouse.access.IpAllowList;
import io.gatehouse.cookie.CookiePolicy;
import io.gatehouse.cookie.HttpsRedirect;
import io.gatehouse.csp.ContentSecurityPolicy;
import io.gatehouse.csp.CspCounters;
import io.gatehouse.csp.CspEventSink;
import io.gatehouse.csp.CspReportEndpoint;
import io.gatehouse.csp.CspSampler;
import io.gatehouse.ip.IpAddress;
import io.gatehouse.proxy.ClientIp;
import io.gatehouse.proxy.ClientIpResolver;
import io.gatehouse.proxy.HeaderLookup;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * The assembled request pipeline every adapter calls (DESIGN "Shape", SPEC section 9):
 * client IP, then the allow-list (403 before anything else runs), then the https redirect, then
 * the CSP report endpoint or the application; on the way out, {@code Set-Cookie} rewriting and CSP
 * headers. Adapters only translate their framework's request into {@link #onRequest} and apply
 * the answer. Immutable and thread-safe.
 */
public final class Gatehouse {
    /** The request attribute (servlet) / channel attribute name (Netty) holding the {@link ClientIp}. */
    public static final String CLIENT_IP_ATTRIBUTE = "io.gatehouse.clientIp";

    private static final System.Logger LOG = System.getLogger(Gatehouse.class.getName());
    private static final byte[] DENIED = IpAllowList.DENIED_BODY.getBytes(StandardCharsets.UTF_8);
    private static final byte[] BAD_HOST = "Bad Request: invalid Host header\n".getBytes(StandardCharsets.UTF_8);

    /** What to do with a request. */
    public sealed interface Decision permits Proceed, ReportEndpoint, Respond {
        /** The resolved client. */
        ClientIp client();

        /** Whether the request reached the client over https. */
        boolean https();
    }

    /** Hand the request to the application. */
    public record Proceed(ClientIp client, boolean https) implements Decision {
    }

    /** Hand the request to {@link Gatehouse#cspEndpoint()}: read the body (bounded) and answer what it says. */
    public record ReportEndpoint(ClientIp client, boolean https) implements Decision {
    }

    /** Answer this at once; the application does not run. */
    public record Respond(ClientIp client, boolean https, int status, Map<String, String> headers, byte[] body)
            implements Decision {
    }

    private final GatehouseConfig config;
    private final ClientIpResolver resolver;
    private final IpAllowList allowList;
    private final HttpsRedirect redirect;
    private final CookiePolicy cookies;
    private final CspReportEndpoint cspEndpoint;
    private final ContentSecurityPolicy csp;

    private Gatehouse(Builder b) {
        this.config = b.config;
        this.resolver = config.clientIpResolver();
        this.allowList = config.ipAllowList();
        this.redirect = HttpsRedirect.of(config.secureCookies(), config.disableSecureSslRedirect(), config.cspPath());
        this.cookies = b.cookies != null ? b.cookies : CookiePolicy.builder().secureCookies(config.secureCookies()).build();
        this.cspEndpoint = CspReportEndpoint.builder()
                .path(config.cspPath())
                .maxBodyBytes(config.cspMaxBodyBytes())
                .maxReports(config.cspMaxReports())
                .tokens(config.cspTokens().orElse(null))
                .dropExtensionReports(config.cspDropExtensionReports())
                .sink(b.sink)
                .sampler(b.sampler)
                .clock(b.clock)
                .counters(b.counters)
                .build();
        this.csp = b.csp;
    }

    /**
     * A builder over {@code config}; {@code sink} receives accepted CSP events. Logs the
     * configuration's start-up warnings once.
     */
    public static Builder builder(GatehouseConfig config, CspEventSink sink) {
        return new Builder(config, sink);
    }

    /** The configuration. */
    public GatehouseConfig config() {
        return config;
    }

    /** The CSP report endpoint (its counters are {@link #counters()}). */
    public CspReportEndpoint cspEndpoint() {
        return cspEndpoint;
    }

    /** The counters of the endpoint and, when shared, its sink. */
    public CspCounters counters() {
        return cspEndpoint.counters();
    }

    /** The cookie policy applied to every {@code Set-Cookie}. */
    public CookiePolicy cookies() {
        return cookies;
    }

    /** The client-IP resolver. */
    public ClientIpResolver clientIpResolver() {
        return resolver;
    }

    /**
     * Decides for one request, before the application runs.
     *
     * @param peer the socket peer (null when the transport has no IP)
     * @param headers the request headers
     * @param method the request method
     * @param path the raw request path (no query), as received
     * @param host the {@code Host} header (or HTTP/2 authority)
     * @param rawQuery the raw query string without {@code ?}, or null
     * @param connectionSecure whether the connection itself is TLS
     */
    public Decision onRequest(IpAddress peer, HeaderLookup headers, String method, String path, String host,
                              String rawQuery, boolean connectionSecure) {
        ClientIp client = resolver.resolve(peer, headers);
        boolean https = resolver.isHttps(peer, headers, connectionSecure);
        if (!allowList.allows(client, path)) {
            return new Respond(client, https, 403, Map.of("Content-Type", "text/plain; charset=utf-8"), DENIED);
        }
        HttpsRedirect.Decision r = redirect.decide(method, host, path, rawQuery, https);
        if (r instanceof HttpsRedirect.Redirect re) {
            Map<String, String> h = new LinkedHashMap<>();
            h.put("Location", re.location());
            return new Respond(client, https, re.status(), h, new byte[0]);
        }
        if (r instanceof HttpsRedirect.BadHost) {
            return new Respond(client, https, 400, Map.of("Content-Type", "text/plain; charset=utf-8"), BAD_HOST);
        }
        if (cspEndpoint.matches(path)) {
            return new ReportEndpoint(client, https);
        }
        return new Proceed(client, https);
    }

    /** The {@code Set-Cookie} value to send instead of {@code setCookie}. */
    public String rewriteSetCookie(String setCookie) {
        return cookies.apply(setCookie);
    }

    /**
     * The CSP headers for a response to a request over {@code https} (or not), when a policy is
     * configured; nothing otherwise.
     */
    public void cspHeaders(boolean https, BiConsumer<String, String> header) {
        if (csp != null) {
            csp.headers(https).forEach(header);
        }
    }

    @Override
    public String toString() {
        return "Gatehouse{" + config + "}";
    }

    /** Builds a {@link Gatehouse}. */
    public static final class Builder {
        private final GatehouseConfig config;
        private final CspEventSink sink;
        private CookiePolicy cookies;
        private ContentSecurityPolicy csp;
        private CspSampler sampler = CspSampler.posthog();
        private Clock clock = Clock.systemUTC();
        private CspCounters counters = new CspCounters();

        private Builder(GatehouseConfig config, CspEventSink sink) {
            this.config = Objects.requireNonNull(config, "config");
            this.sink = Objects.requireNonNull(sink, "sink");
        }

        /** A cookie policy other than the configuration's default (e.g. other session cookie names). */
        public Builder cookies(CookiePolicy cookies) {
            this.cookies = Objects.requireNonNull(cookies, "cookies");
            return this;
        }

        /** The CSP to add to every response (default none). */
        public Builder contentSecurityPolicy(ContentSecurityPolicy csp) {
            this.csp = csp;
            return this;
        }

        /** The CSP sampler (default {@link CspSampler#posthog()}). */
        public Builder sampler(CspSampler sampler) {
            this.sampler = Objects.requireNonNull(sampler, "sampler");
            return this;
        }

        /** The clock (default UTC system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The counters to update; share them with the sink. */
        public Builder counters(CspCounters counters) {
            this.counters = Objects.requireNonNull(counters, "counters");
            return this;
        }

        /** The pipeline; logs the configuration's warnings once. */
        public Gatehouse build() {
            config.warnings().forEach(w -> LOG.log(System.Logger.Level.WARNING, w));
            return new Gatehouse(this);
        }
    }
}
