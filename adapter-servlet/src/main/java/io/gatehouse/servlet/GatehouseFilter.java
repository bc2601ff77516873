package io.gatehouse.servlet;

import io.gatehouse.config.Gatehouse;
import io.gatehouse.config.Outcome;
import io.gatehouse.csp.ReportBody;
import io.gatehouse.http.RequestView;
import io.gatehouse.http.Response;
import io.gatehouse.ip.IpAddress;
import io.gatehouse.proxy.ClientIp;
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
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Gatehouse as a Jakarta Servlet 6.1 filter, first in the chain for {@code /*}: it translates each
 * request for {@link Gatehouse#decide} and writes back what Gatehouse answers, feeds CSP report bodies
 * to the core (with non-blocking reads when the filter and servlet are {@code asyncSupported}, the
 * body then due within {@code GATEHOUSE_READ_TIMEOUT_SECONDS}, else 408), and passes the application
 * a request telling the resolved client and scheme ({@code getRemoteAddr}, {@code isSecure},
 * {@code getScheme}, {@code getServerPort}, {@code getRequestURL}) and a response decorated by
 * {@link Gatehouse#decorate}. Made with a {@link Gatehouse}, or by the container, taking it from the
 * servlet context attribute {@value #CONTEXT_ATTRIBUTE} at {@link #init}.
 */
public final class GatehouseFilter implements Filter {
    /** The servlet context attribute a container-created filter takes its {@link Gatehouse} from. */
    public static final String CONTEXT_ATTRIBUTE = "io.gatehouse.Gatehouse";
    /** The request attribute holding the {@link Outcome.Proceed} the application runs under. */
    public static final String REQUEST_ATTRIBUTE = "io.gatehouse.request";

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
            if (!(config.getServletContext().getAttribute(CONTEXT_ATTRIBUTE) instanceof Gatehouse g)) {
                throw new ServletException("GatehouseFilter needs a Gatehouse: pass one to its constructor or set the"
                        + " servlet context attribute " + CONTEXT_ATTRIBUTE);
            }
            gatehouse = g;
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
        Outcome outcome = g.decide(new View(request));
        request.setAttribute(Gatehouse.CLIENT_IP_ATTRIBUTE, outcome.client());
        if (outcome instanceof Outcome.Answer a) {
            write(response, a.response());
        } else if (outcome instanceof Outcome.ReadReport r) {
            new BodyReader(g, request, response, r.body()).start();
        } else if (outcome instanceof Outcome.Proceed p) {
            request.setAttribute(REQUEST_ATTRIBUTE, p);
            DecoratingResponse decorating = new DecoratingResponse(response, g, p);
            try {
                chain.doFilter(new ClientRequest(request, p), decorating);
            } finally {
                decorating.decorate();
            }
        }
    }

    /** Writes an answer of Gatehouse's own; its {@code Connection: close} has the container close the connection. */
    private static void write(HttpServletResponse response, Response r) throws IOException {
        response.setStatus(r.status());
        r.headers().forEach(response::setHeader);
        if (r.bodyLength() > 0) {
            response.setContentLength(r.bodyLength());
            response.getOutputStream().write(r.body());
        }
        response.flushBuffer();
    }

    /** Reads a report body into the core's {@link ReportBody}: non-blocking when the container allows it. */
    private static final class BodyReader implements ReadListener, AsyncListener {
        private final Gatehouse gatehouse;
        private final HttpServletRequest request;
        private final HttpServletResponse response;
        private final ReportBody body;
        private final byte[] buf = new byte[8192];
        private AsyncContext async;
        private ServletInputStream in;

        BodyReader(Gatehouse gatehouse, HttpServletRequest request, HttpServletResponse response, ReportBody body) {
            this.gatehouse = gatehouse;
            this.request = request;
            this.response = response;
            this.body = body;
        }

        void start() throws IOException {
            in = request.getInputStream();
            if (!request.isAsyncSupported()) {
                try {
                    for (int n; (n = in.read(buf)) >= 0 && !body.isDone(); ) {
                        answer(body.offer(buf, 0, n));
                    }
                } catch (IOException unreadable) {
                    answer(gatehouse.malformed());
                }
                answer(body.isDone() ? null : body.finish());
                return;
            }
            async = request.startAsync();
            async.setTimeout(body.timeoutMillis());
            async.addListener(this);
            in.setReadListener(this);
        }

        @Override
        public void onDataAvailable() throws IOException {
            for (int n; !body.isDone() && in.isReady() && (n = in.read(buf)) >= 0; ) {
                answer(body.offer(buf, 0, n));
            }
        }

        @Override
        public void onAllDataRead() throws IOException {
            answer(body.isDone() ? null : body.finish());
        }

        @Override
        public void onError(Throwable t) {
            // The container's read timeout: 408; a body it could not read (a bad chunk): 400; a client gone: no one hears.
            boolean timeout = body.remainingNanos() <= 0;
            for (Throwable c = t; c != null && !timeout; c = c.getCause()) {
                timeout = c instanceof java.net.SocketTimeoutException;
            }
            answerQuietly(body.isDone() ? null : timeout ? body.timedOut() : gatehouse.malformed());
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            answerQuietly(body.isDone() ? null : body.timedOut());
        }

        @Override
        public void onError(AsyncEvent event) {
            onError(event.getThrowable());
        }

        @Override public void onComplete(AsyncEvent event) { }
        @Override public void onStartAsync(AsyncEvent event) { }

        private void answerQuietly(Response r) {
            try {
                answer(r);
            } catch (IOException gone) {
                body.abort();
            }
        }

        private synchronized void answer(Response r) throws IOException {
            if (r == null || response.isCommitted()) {
                return;
            }
            try {
                write(response, r);
            } finally {
                if (async != null) {
                    async.complete();
                }
            }
        }
    }

    /** A servlet request as Gatehouse reads it. */
    private record View(HttpServletRequest r) implements RequestView {
        @Override public String method() { return r.getMethod(); }
        @Override public String query() { return r.getQueryString(); }
        @Override public String host() { return r.getHeader("Host"); }
        @Override public IpAddress peer() { return IpAddress.tryParse(r.getRemoteAddr()).orElse(null); }
        @Override public boolean tls() { return r.isSecure(); }
        @Override public List<String> values(String name) { return Collections.list(r.getHeaders(name)); }

        @Override
        public String path() {
            String uri = r.getRequestURI();
            String context = r.getContextPath();
            return context.isEmpty() || !uri.startsWith(context) ? uri : uri.substring(context.length());
        }
    }

    /** The request as the application sees it: the resolved client, scheme and port. */
    static final class ClientRequest extends HttpServletRequestWrapper {
        private final Outcome.Proceed p;
        private final String address;

        ClientRequest(HttpServletRequest request, Outcome.Proceed p) {
            super(request);
            this.p = p;
            this.address = p.client().resolvedAddress().map(IpAddress::toString).orElse(null);
        }

        @Override public String getRemoteAddr() { return address != null ? address : super.getRemoteAddr(); }
        @Override public String getRemoteHost() { return address != null ? address : super.getRemoteHost(); }
        @Override public boolean isSecure() { return p.https(); }
        @Override public String getScheme() { return p.scheme(); }
        @Override public int getServerPort() { return p.authority() == null ? super.getServerPort() : p.port(); }

        @Override
        public StringBuffer getRequestURL() {
            int port = getServerPort();
            boolean standard = port == (p.https() ? 443 : 80);
            return new StringBuffer(p.scheme()).append("://").append(getServerName())
                    .append(standard ? "" : ":" + port).append(getRequestURI());
        }
    }

    @Override
    public String toString() {
        return "GatehouseFilter{" + gatehouse + "}";
    }
}
