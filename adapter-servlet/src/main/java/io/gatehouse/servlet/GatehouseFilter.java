package io.gatehouse.servlet;

import io.gatehouse.config.Gatehouse;
import io.gatehouse.csp.CspResponse;
import io.gatehouse.ip.IpAddress;
import io.gatehouse.proxy.ClientIp;
import io.gatehouse.proxy.HeaderLookup;
import io.gatehouse.csp.CspReportEndpoint;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gatehouse as a Jakarta Servlet 6.1 filter: map it to {@code /*} first in the chain. For each
 * request it resolves the client, answers 403 / redirects / the CSP endpoint itself, or passes the
 * request on wrapped so that {@code getRemoteAddr()}, {@code isSecure()} and {@code getScheme()}
 * tell the resolved client and scheme (also in the request attribute
 * {@value Gatehouse#CLIENT_IP_ATTRIBUTE}); every {@code Set-Cookie} of the response is rewritten
 * when it commits, and the CSP headers are added.
 *
 * <p>Register it with {@code asyncSupported} (and the servlets behind it too): then report bodies
 * are read with non-blocking I/O and no worker thread waits for a slow client; the whole body must
 * arrive within {@code GATEHOUSE_READ_TIMEOUT_SECONDS} (else 408 and the connection is closed).
 * Without async support the body is read with a blocking read, under the container's own timeouts.
 *
 * <p>Created with a {@link Gatehouse}, or with the no-argument constructor, in which case
 * {@link #init} takes the {@code Gatehouse} from the servlet context attribute
 * {@value #CONTEXT_ATTRIBUTE}.
 */
public final class GatehouseFilter implements Filter {
    /** The servlet context attribute a container-created filter takes its {@link Gatehouse} from. */
    public static final String CONTEXT_ATTRIBUTE = "io.gatehouse.Gatehouse";
    /** The request attribute holding whether the request reached the client over https. */
    public static final String HTTPS_ATTRIBUTE = "io.gatehouse.https";

    private volatile Gatehouse gatehouse;

    /** A filter whose {@link Gatehouse} comes from the servlet context at {@link #init}. */
    public GatehouseFilter() {
    }

    /** A filter applying {@code gatehouse}. */
    public GatehouseFilter(Gatehouse gatehouse) {
        this.gatehouse = Objects.requireNonNull(gatehouse, "gatehouse");
    }

    @Override
    public void init(FilterConfig config) throws ServletException {
        if (gatehouse == null) {
            Object g = config.getServletContext().getAttribute(CONTEXT_ATTRIBUTE);
            if (!(g instanceof Gatehouse gh)) {
                throw new ServletException("GatehouseFilter needs a Gatehouse: pass one to its constructor or set the"
                        + " servlet context attribute " + CONTEXT_ATTRIBUTE);
            }
            gatehouse = gh;
        }
    }

    /** The client of {@code request}, as the filter resolved it (null before the filter ran). */
    public static ClientIp clientIp(ServletRequest request) {
        return request.getAttribute(Gatehouse.CLIENT_IP_ATTRIBUTE) instanceof ClientIp c ? c : null;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
            chain.doFilter(req, res);
            return;
        }
        Gatehouse g = gatehouse;
        HeaderLookup headers = name -> {
            Enumeration<String> e = request.getHeaders(name);
            return e == null ? List.of() : Collections.list(e);
        };
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        String path = context.isEmpty() || !uri.startsWith(context) ? uri : uri.substring(context.length());
        IpAddress peer = IpAddress.tryParse(request.getRemoteAddr()).orElse(null);
        Gatehouse.Decision d = g.onRequest(peer, headers, request.getMethod(), path, request.getHeader("Host"),
                request.getQueryString(), request.isSecure());
        request.setAttribute(Gatehouse.CLIENT_IP_ATTRIBUTE, d.client());
        request.setAttribute(HTTPS_ATTRIBUTE, d.https());
        if (d instanceof Gatehouse.Respond r) {
            write(response, r.status(), r.headers(), r.body(), hasUnreadBody(request));
            return;
        }
        if (d instanceof Gatehouse.ReportEndpoint) {
            report(g, request, response, headers);
            return;
        }
        CookieRewritingResponse wrapped = new CookieRewritingResponse(response, g);
        g.cspHeaders(d.https(), (name, value) -> {
            if (!response.containsHeader(name)) {
                response.setHeader(name, value);
            }
        });
        try {
            chain.doFilter(new ClientRequest(request, d.client(), d.https()), wrapped);
        } finally {
            wrapped.rewriteCookies();
        }
    }

    /**
     * The CSP endpoint. The checks that need no body answer at once; the body is then read with
     * non-blocking I/O when the container allows async processing (no thread waits for a slow
     * client, and the whole body must arrive within {@code GATEHOUSE_READ_TIMEOUT_SECONDS}, else
     * 408 and the connection is closed), or with a blocking read otherwise.
     */
    private static void report(Gatehouse g, HttpServletRequest request, HttpServletResponse response,
                               HeaderLookup headers) throws IOException {
        CspReportEndpoint endpoint = g.cspEndpoint();
        String query = request.getQueryString();
        Optional<CspResponse> early = endpoint.beforeBody(request.getMethod(), query, request.getContentType(), headers);
        if (early.isEmpty() && endpoint.declaredTooLarge(headers)) {
            early = Optional.of(endpoint.tooLarge(headers));
        }
        if (early.isPresent()) {
            CspResponse r = early.get();
            write(response, r.status(), r.headers(), r.body(), hasUnreadBody(request));
            return;
        }
        if (!request.isAsyncSupported()) {
            CspResponse r = endpoint.handle(request.getMethod(), query, request.getContentType(), headers,
                    request.getInputStream());
            write(response, r.status(), r.headers(), r.body(), r.status() == 413);
            return;
        }
        AsyncContext async = request.startAsync();
        async.setTimeout(g.config().readTimeoutSeconds() * 1000L);
        BodyReader reader = new BodyReader(async, request.getInputStream(), response, endpoint, query, headers);
        async.addListener(reader);
        request.getInputStream().setReadListener(reader);
    }

    /** Reads a report body as it arrives, then answers; or answers 413 / 408 and closes. */
    private static final class BodyReader implements ReadListener, AsyncListener {
        private final AsyncContext async;
        private final ServletInputStream in;
        private final HttpServletResponse response;
        private final CspReportEndpoint endpoint;
        private final String query;
        private final HeaderLookup headers;
        private final AtomicBoolean answered = new AtomicBoolean();
        private byte[] buf;
        private int n;

        BodyReader(AsyncContext async, ServletInputStream in, HttpServletResponse response, CspReportEndpoint endpoint,
                   String query, HeaderLookup headers) {
            this.async = async;
            this.in = in;
            this.response = response;
            this.endpoint = endpoint;
            this.query = query;
            this.headers = headers;
            this.buf = new byte[Math.min(endpoint.maxBodyBytes() + 1, 8192)];
        }

        @Override
        public void onDataAvailable() throws IOException {
            while (!answered.get() && in.isReady()) {
                if (n == buf.length) {
                    buf = Arrays.copyOf(buf, (int) Math.min((long) endpoint.maxBodyBytes() + 1, buf.length * 2L));
                }
                int r = in.read(buf, n, buf.length - n);
                if (r < 0) {
                    return;
                }
                n += r;
                if (n > endpoint.maxBodyBytes()) {
                    CspResponse tooLarge = endpoint.tooLarge(headers);
                    answer(tooLarge.status(), tooLarge.headers(), tooLarge.body(), true);
                    return;
                }
            }
        }

        @Override
        public void onAllDataRead() throws IOException {
            CspResponse r = endpoint.handleBody(query, headers, buf, n);
            answer(r.status(), r.headers(), r.body(), false);
        }

        @Override
        public void onError(Throwable t) {
            // The client went away or the connection broke: nothing to answer, nothing accepted.
            if (answered.compareAndSet(false, true)) {
                async.complete();
            }
        }

        @Override
        public void onTimeout(AsyncEvent event) throws IOException {
            answer(408, Map.of(), new byte[0], true);
        }

        @Override
        public void onComplete(AsyncEvent event) {
        }

        @Override
        public void onError(AsyncEvent event) {
            onError(event.getThrowable());
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }

        private void answer(int status, Map<String, String> h, byte[] body, boolean close) throws IOException {
            if (!answered.compareAndSet(false, true)) {
                return;
            }
            try {
                write(response, status, h, body, close);
            } finally {
                async.complete();
            }
        }
    }

    private static boolean hasUnreadBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    /** Writes an answer of Gatehouse's own; closes the connection rather than read an unread body. */
    private static void write(HttpServletResponse response, int status, Map<String, String> headers, byte[] body,
                              boolean closeConnection) throws IOException {
        response.setStatus(status);
        headers.forEach(response::setHeader);
        if (closeConnection) {
            response.setHeader("Connection", "close");
        }
        if (body.length > 0) {
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        }
        response.flushBuffer();
    }

    /** The request as the application sees it: the resolved client and scheme. */
    static final class ClientRequest extends HttpServletRequestWrapper {
        private final String address;
        private final boolean https;

        ClientRequest(HttpServletRequest request, ClientIp client, boolean https) {
            super(request);
            this.address = client.resolvedAddress().map(IpAddress::toString).orElse(null);
            this.https = https;
        }

        @Override
        public String getRemoteAddr() {
            return address != null ? address : super.getRemoteAddr();
        }

        @Override
        public String getRemoteHost() {
            return address != null ? address : super.getRemoteHost();
        }

        @Override
        public boolean isSecure() {
            return https || super.isSecure();
        }

        @Override
        public String getScheme() {
            return https ? "https" : super.getScheme();
        }
    }

    @Override
    public String toString() {
        return "GatehouseFilter{" + gatehouse + "}";
    }
}
