package io.gatehouse.servlet;

import io.gatehouse.config.Gatehouse;
import io.gatehouse.csp.CspResponse;
import io.gatehouse.ip.IpAddress;
import io.gatehouse.proxy.ClientIp;
import io.gatehouse.proxy.HeaderLookup;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Gatehouse as a Jakarta Servlet 6.1 filter: map it to {@code /*} first in the chain. For each
 * request it resolves the client, answers 403 / redirects / the CSP endpoint itself, or passes the
 * request on wrapped so that {@code getRemoteAddr()}, {@code isSecure()} and {@code getScheme()}
 * tell the resolved client and scheme (also in the request attribute
 * {@value Gatehouse#CLIENT_IP_ATTRIBUTE}); every {@code Set-Cookie} of the response is rewritten
 * when it commits, and the CSP headers are added.
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
            CspResponse r = g.cspEndpoint().handle(request.getMethod(), request.getQueryString(), request.getContentType(),
                    headers, request.getInputStream());
            write(response, r.status(), r.headers(), r.body(), r.status() == 413 || r.status() == 401);
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
