package io.gatehouse.config;

import io.gatehouse.access.IpAllowList;
import io.gatehouse.cookie.CookiePolicy;
import io.gatehouse.cookie.HttpsRedirect;
import io.gatehouse.csp.CspCounters;
import io.gatehouse.csp.CspReportEndpoint;
import io.gatehouse.csp.CspSampler;
import io.gatehouse.csp.header.ContentSecurityPolicy;
import io.gatehouse.csp.sink.CspEventSink;
import io.gatehouse.http.Answers;
import io.gatehouse.http.RequestView;
import io.gatehouse.http.Response;
import io.gatehouse.http.ResponseHeaders;
import io.gatehouse.ip.IpAddress;
import io.gatehouse.ip.MutableIpAddress;
import io.gatehouse.proxy.ClientIp;
import io.gatehouse.proxy.ClientIpResolver;
import io.gatehouse.proxy.HeaderLookup;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The whole exchange every adapter runs: {@link #decide} reads a {@link RequestView} and says what
 * to do ({@link Outcome}): client IP, framing, the allow-list (403 before anything else runs), the
 * https redirect, then the CSP report endpoint (a {@link io.gatehouse.csp.ReportBody} the adapter
 * feeds) or the application, whose response {@link #decorate} passes through the cookie policy and
 * the CSP headers. An adapter only translates its framework's request and response; it holds no
 * proxy, allow-list, cookie or CSP logic. Immutable and thread-safe.
 */
public final class Gatehouse {
    private static final System.Logger LOG = System.getLogger(Gatehouse.class.getName());
    private static final Response DENIED = Response.text(403, IpAllowList.DENIED_BODY);
    private static final Response BAD_HOST = Response.text(400, "Bad Request: invalid Host header\n");

    private final GatehouseConfig config;
    private final ClientIpResolver resolver;
    private final IpAllowList allowList;
    private final HttpsRedirect redirect;
    private final CookiePolicy cookies;
    private final CspReportEndpoint cspEndpoint;
    private final @Nullable ContentSecurityPolicy csp;
    private final long readTimeoutNanos;
    private final RequestCounters requestCounters = new RequestCounters();

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
        this.readTimeoutNanos = config.readTimeoutSeconds() * 1_000_000_000L;
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

    /**
     * The counts of what {@link #decide} decided: allow-list denials, https redirects, unresolved
     * clients by cause, malformed and timed-out requests.
     */
    public RequestCounters requestCounters() {
        return requestCounters;
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
     * Decides for one request, before the application runs: the client and scheme, the framing
     * headers, the allow-list (403), the https redirect, then the CSP report endpoint or the
     * application. Never throws for anything a client sends.
     */
    public Outcome decide(RequestView request) {
        return decide(request, new MutableIpAddress());
    }

    /**
     * As {@link #decide(RequestView)}, resolving the client in {@code scratch}, a holder the caller
     * reuses (one per connection or thread, never two requests at once): an adapter that keeps one
     * per connection decides allocating nothing but the outcome, its {@link ClientIp} and, when the
     * client is not the peer, its {@link IpAddress} (the application may keep all three past the
     * next request), given a {@link RequestView} whose {@link RequestView#only} and
     * {@link RequestView#first} build no list.
     */
    public Outcome decide(RequestView request, MutableIpAddress scratch) {
        IpAddress peer = request.peer();
        ClientIp client = resolver.resolve(peer, request, scratch)
                ? new ClientIp.Resolved(peer != null && scratch.sameAs(peer) ? peer : scratch.toIpAddress())
                : resolver.resolve(peer, request); // unresolved: the walk again, for the reason (rare)
        if (client instanceof ClientIp.Unresolved u) {
            requestCounters.countUnresolved(u.cause());
        }
        boolean https = resolver.isHttps(peer, request, request.tls());
        String path = request.path();
        int body = declaredBody(request);
        if (body == MALFORMED_FRAMING) {
            requestCounters.countMalformedFraming();
            return new Outcome.Answer(client, https, Answers.MALFORMED);
        }
        boolean bodyPending = body == BODY;
        if (!allowList.allows(client, path)) {
            requestCounters.countDenied(client);
            return answer(client, https, DENIED, bodyPending);
        }
        String method = request.method();
        HttpsRedirect.Decision r = redirect.decide(method, request.host(), path, request.query(), https);
        if (r instanceof HttpsRedirect.Redirect re) {
            requestCounters.countHttpsRedirect();
            return answer(client, https, Response.of(re.status(), Map.of("Location", re.location()), new byte[0]), bodyPending);
        }
        if (r instanceof HttpsRedirect.BadHost) {
            requestCounters.countBadHost();
            return answer(client, https, BAD_HOST, bodyPending);
        }
        if (cspEndpoint.matches(path)) {
            String query = request.query();
            String contentType = request.first("Content-Type");
            Optional<Response> early = cspEndpoint.beforeBody(method, query, contentType, request);
            if (early.isPresent()) {
                return answer(client, https, early.get(), bodyPending);
            }
            return new Outcome.ReadReport(client, https, cspEndpoint.readBody(query, contentType, request, readTimeoutNanos));
        }
        return new Outcome.Proceed(client, https, request.host());
    }

    private static Outcome answer(ClientIp client, boolean https, Response response, boolean bodyPending) {
        return new Outcome.Answer(client, https, bodyPending ? response.closingConnection() : response);
    }

    private static final int NO_BODY = 0;
    private static final int BODY = 1;
    private static final int MALFORMED_FRAMING = 2;

    /**
     * Whether a body follows, by the framing headers: {@code Transfer-Encoding}, or a
     * {@code Content-Length} above 0. A {@code Content-Length} that is not one non-negative decimal
     * (several differing values, a sign, text), or one together with {@code Transfer-Encoding}, is
     * malformed (request smuggling works through exactly these).
     */
    private static int declaredBody(HeaderLookup request) {
        boolean te = request.first("Transfer-Encoding") != null;
        if (request.first("Content-Length") == null) {
            return te ? BODY : NO_BODY;
        }
        if (te) {
            return MALFORMED_FRAMING;
        }
        String one = request.only("Content-Length");
        List<String> cl = one != null ? List.of(one) : request.values("Content-Length");
        long length = -1;
        for (String field : cl) {
            for (String part : field.split(",", -1)) {
                long v = contentLength(part.strip());
                if (v < 0 || (length >= 0 && v != length)) {
                    return MALFORMED_FRAMING;
                }
                length = v;
            }
        }
        return length > 0 ? BODY : NO_BODY;
    }

    private static long contentLength(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /**
     * The answer to a request the adapter's HTTP decoder could not frame (a bad, negative or
     * conflicting {@code Content-Length}, a bad chunk size, an invalid or too long header line):
     * 400, closing the connection. The request never reaches the application. Counted as
     * {@link RequestCounters#malformedFraming()}: call it once per such request.
     */
    public Response malformed() {
        requestCounters.countMalformedFraming();
        return Answers.MALFORMED;
    }

    /**
     * The answer to a request that began but did not arrive whole within
     * {@code GATEHOUSE_READ_TIMEOUT_SECONDS}: 408, closing the connection. Counted as
     * {@link RequestCounters#timedOut()}: call it once per such request.
     */
    public Response timedOut() {
        requestCounters.countTimedOut();
        return Answers.TIMED_OUT;
    }

    /**
     * Decorates the application's response to a request Gatehouse let {@code through}: every
     * {@code Set-Cookie} through the cookie policy, and the CSP headers (for the request's scheme)
     * unless the application set its own. Call it once, before the response's headers are sent.
     */
    public void decorate(Outcome.Proceed through, ResponseHeaders response) {
        rewriteSetCookies(response);
        if (csp != null) {
            ContentSecurityPolicy.Headers h = csp.headers(through.https());
            setUnlessPresent(response, h.policyHeaderName(), h.policy());
            if (h.reportingEndpoints() != null) {
                setUnlessPresent(response, "Reporting-Endpoints", h.reportingEndpoints());
            }
        }
    }

    private static void setUnlessPresent(ResponseHeaders response, String name, String value) {
        if (!response.contains(name)) {
            response.set(name, value);
        }
    }

    /**
     * Passes every {@code Set-Cookie} of {@code response} through the cookie policy, replacing them
     * only when one changes. Idempotent: for an adapter whose server adds cookies to the headers on its
     * own (a servlet container's session cookie), to call right after it did.
     */
    private String rewrite(String setCookie) {
        return Objects.requireNonNull(cookies.apply(setCookie)); // non-null for a non-null header
    }

    public void rewriteSetCookies(ResponseHeaders response) {
        List<String> setCookies = response.values("Set-Cookie");
        if (setCookies.isEmpty()) {
            return;
        }
        // Up to the first that changes, nothing is written; from there on every value is set again,
        // in order, without building a list.
        for (int i = 0; i < setCookies.size(); i++) {
            String c = setCookies.get(i);
            String r = rewrite(c);
            if (!r.equals(c)) {
                response.set("Set-Cookie", i == 0 ? r : setCookies.get(0));
                for (int j = 1; j < setCookies.size(); j++) {
                    response.add("Set-Cookie", j < i ? setCookies.get(j) : j == i ? r : rewrite(setCookies.get(j)));
                }
                return;
            }
        }
    }

    /** The {@code Set-Cookie} value to send instead of {@code setCookie}. */
    public String rewriteSetCookie(String setCookie) {
        return Objects.requireNonNull(cookies.apply(setCookie)); // non-null for a non-null header
    }

    @Override
    public String toString() {
        return "Gatehouse{" + config + "}";
    }

    /** Builds a {@link Gatehouse}. */
    public static final class Builder {
        private final GatehouseConfig config;
        private final CspEventSink sink;
        private @Nullable CookiePolicy cookies;
        private @Nullable ContentSecurityPolicy csp;
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
        public Builder contentSecurityPolicy(@Nullable ContentSecurityPolicy csp) {
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
