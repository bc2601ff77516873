package io.gatehouse.servlet;

import io.gatehouse.config.Gatehouse;
import io.gatehouse.config.Outcome;
import io.gatehouse.csp.ReportBody;
import io.gatehouse.http.RequestView;
import io.gatehouse.http.Response;
import io.gatehouse.http.ResponseHeaders;
import io.gatehouse.ip.IpAddress;
import io.gatehouse.proxy.ClientIp;
import io.gatehouse.proxy.HeaderLookup;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Gatehouse as a Jakarta Servlet filter (Servlet 6.0 and 6.1), first in the chain for {@code /*}: it
 * translates each request for {@link Gatehouse#decide}, writes what Gatehouse answers, feeds CSP
 * report bodies to the core (non-blocking when the filter and servlet are {@code asyncSupported}),
 * and passes the application a request telling the resolved client, scheme, host and port, and a
 * response that applies the cookie policy at each call that sets a cookie and is decorated by
 * {@link Gatehouse#decorate} as it commits. Takes its {@link Gatehouse} from the constructor or,
 * made by the container, from the servlet context attribute {@value #CONTEXT_ATTRIBUTE}; applies
 * the cookie policy to the context's session cookie when the context still allows it (see
 * {@link #register}). Mapped also for {@code ASYNC} or {@code ERROR} dispatches, it decides nothing
 * again for a request it let through: it passes the same resolved client on.
 */
public final class GatehouseFilter extends HttpFilter {
    /** The servlet context attribute a container-created filter takes its {@link Gatehouse} from. */
    public static final String CONTEXT_ATTRIBUTE = "io.gatehouse.Gatehouse";
    /** The request attribute holding the {@link Outcome.Proceed} the application runs under. */
    public static final String REQUEST_ATTRIBUTE = "io.gatehouse.request";
    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(GatehouseFilter.class.getName());

    @SuppressWarnings("NullAway.Init") // from the constructor, else from the servlet context in init(), which fails without one
    private transient volatile Gatehouse gatehouse;
    private transient volatile boolean sameSiteWarned;

    /** A filter whose {@link Gatehouse} comes from the servlet context at {@link #init}. */
    public GatehouseFilter() {
    }

    /** A filter applying {@code gatehouse}. */
    public GatehouseFilter(Gatehouse gatehouse) {
        this.gatehouse = java.util.Objects.requireNonNull(gatehouse, "gatehouse");
    }

    @Override
    public void init() throws ServletException {
        if (gatehouse == null) {
            if (!(getServletContext().getAttribute(CONTEXT_ATTRIBUTE) instanceof Gatehouse g)) {
                throw new ServletException("GatehouseFilter needs a Gatehouse: pass one to its constructor or set the"
                        + " servlet context attribute " + CONTEXT_ATTRIBUTE);
            }
            gatehouse = g;
        }
        sessionCookie(getServletContext(), gatehouse);
    }

    /**
     * Registers a filter applying {@code gatehouse} for {@code /*} before every filter the application
     * declares, async-supported, and applies the cookie policy to the context's session cookie. Call it
     * while the context initialises ({@code ServletContainerInitializer.onStartup},
     * {@code ServletContextListener.contextInitialized}): only then may a {@link SessionCookieConfig}
     * change, and on a container that writes the session cookie where no filter reaches it (Undertow)
     * that is the only way it gets {@code Secure}.
     */
    public static FilterRegistration.Dynamic register(ServletContext context, Gatehouse gatehouse) {
        FilterRegistration.Dynamic r = java.util.Objects.requireNonNull(context.addFilter(GatehouseFilter.class.getName(),
                new GatehouseFilter(gatehouse)), "GatehouseFilter is registered already");
        r.setAsyncSupported(true);
        r.addMappingForUrlPatterns(null, false, "/*");
        sessionCookie(context, gatehouse);
        return r;
    }

    private static void sessionCookie(ServletContext context, Gatehouse gatehouse) {
        SessionCookieConfig c = context.getSessionCookieConfig();
        try {
            gatehouse.cookies().apply(c.getName() == null ? "JSESSIONID" : c.getName(), c.getAttributes(), c.isSecure(),
                    c.isHttpOnly(), flag -> { if (flag.equals("Secure")) c.setSecure(true); else c.setHttpOnly(true); }, c::setAttribute);
        } catch (IllegalStateException initialised) {
            LOG.log(System.Logger.Level.WARNING, "The servlet context has started: the cookie policy reaches the session"
                    + " cookie only where the container writes it to the headers (Tomcat, Jetty), not on Undertow, where it"
                    + " leaves without Secure. Call GatehouseFilter.register while the context initialises instead.");
        }
    }

    /** The client of {@code request}, as the filter resolved it (null before the filter ran). */
    public static @Nullable ClientIp clientIp(ServletRequest request) {
        return request.getAttribute(REQUEST_ATTRIBUTE) instanceof Outcome.Proceed p ? p.client() : null;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request.getDispatcherType() != DispatcherType.REQUEST && request.getAttribute(REQUEST_ATTRIBUTE) instanceof Outcome.Proceed p) {
            // An ASYNC or ERROR dispatch of a request already let through: no second decision, only the
            // resolved client for the application and the policy for what this dispatch writes.
            proceed(request, response, chain, p);
            return;
        }
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        String peer = request.getRemoteAddr();
        if (peer != null && peer.startsWith("[") && peer.endsWith("]")) {
            peer = peer.substring(1, peer.length() - 1); // Jetty's IPv6 form
        }
        Outcome outcome = gatehouse.decide(RequestView.of(request.getMethod(), uri.startsWith(context) ? uri.substring(context.length()) : uri,
                request.getQueryString(), request.getHeader("Host"), IpAddress.tryParse(peer).orElse(null),
                request.isSecure(), new Headers(request)));
        if (outcome instanceof Outcome.Answer a) {
            write(response, a.response());
        } else if (outcome instanceof Outcome.ReadReport r) {
            new BodyReader(request, response, r.body()).start();
        } else if (outcome instanceof Outcome.Proceed p) {
            request.setAttribute(REQUEST_ATTRIBUTE, p);
            proceed(request, response, chain, p);
        }
    }

    private void proceed(HttpServletRequest request, HttpServletResponse response, FilterChain chain, Outcome.Proceed p)
            throws IOException, ServletException {
        ClientRequest client = new ClientRequest(request, new Decorating(response, request, p));
        try {
            chain.doFilter(client, client.response);
        } finally {
            client.response.decorate();
        }
    }

    /** The request's headers as Gatehouse reads them: a header that comes once without a list. */
    private record Headers(HttpServletRequest request) implements HeaderLookup {
        @Override public List<String> values(String name) { return Collections.list(request.getHeaders(name)); }
        @Override public @Nullable String first(String name) { return request.getHeader(name); }

        @Override
        public @Nullable String only(String name) {
            Enumeration<String> e = request.getHeaders(name);
            if (e == null || !e.hasMoreElements()) {
                return null;
            }
            String v = e.nextElement();
            return e.hasMoreElements() ? null : v;
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
    private record BodyReader(HttpServletRequest request, HttpServletResponse response, ReportBody body)
            implements ReadListener, AsyncListener {
        void start() throws IOException {
            if (request.isAsyncSupported()) {
                request.startAsync().setTimeout(body.timeoutMillis());
                request.getAsyncContext().addListener(this);
                request.getInputStream().setReadListener(this);
                return;
            }
            try {
                answer(body.readFrom(request.getInputStream(), () -> true));
            } catch (IOException e) {
                answer(body.failed(e));
            }
        }

        @Override
        public void onDataAvailable() throws IOException {
            answer(body.readFrom(request.getInputStream(), request.getInputStream()::isReady));
        }

        @Override public void onAllDataRead() { answer(body.finish()); }
        @Override public void onError(Throwable t) { answer(body.failed(t)); }
        @Override public void onTimeout(AsyncEvent event) { answer(body.failed(null)); }
        @Override public void onError(AsyncEvent event) { onError(event.getThrowable()); }
        @Override public void onComplete(AsyncEvent event) { }
        @Override public void onStartAsync(AsyncEvent event) { }

        private synchronized void answer(@Nullable Response r) {
            if (r == null || response.isCommitted()) {
                return;
            }
            try {
                write(response, r);
            } catch (IOException gone) {
                body.abort(); // the client went away: no one to answer
            } finally {
                if (request.isAsyncStarted()) {
                    request.getAsyncContext().complete();
                }
            }
        }
    }

    /**
     * The request as the application sees it, as Tomcat's {@code RemoteIpValve} makes it: the resolved
     * client, scheme, host and port; the session cookie the container sets passes the cookie policy at
     * once; {@code startAsync()} keeps this request and its response.
     */
    private static final class ClientRequest extends HttpServletRequestWrapper {
        private final Outcome.Proceed p;
        private final Decorating response;

        ClientRequest(HttpServletRequest request, Decorating response) {
            super(request);
            this.p = response.request;
            this.response = response;
        }

        @Override public String getRemoteAddr() { return p.clientAddress() != null ? p.clientAddress() : super.getRemoteAddr(); }
        @Override public String getRemoteHost() { return p.clientAddress() != null ? p.clientAddress() : super.getRemoteHost(); }
        @Override public boolean isSecure() { return p.https(); }
        @Override public String getScheme() { return p.scheme(); }
        @Override public String getServerName() { return p.host() == null ? super.getServerName() : p.host(); }
        @Override public int getServerPort() { return p.authority() == null ? super.getServerPort() : p.port(); }
        @Override public StringBuffer getRequestURL() { return new StringBuffer(p.url(getServerName(), getRequestURI())); }
        @Override public AsyncContext startAsync() { return super.startAsync(this, response); }
        @Override public HttpSession getSession() { return getSession(true); }
        @Override
        public HttpSession getSession(boolean create) {
            HttpSession s = super.getSession(create);
            return response.containerCookies(s, s != null && s.isNew());
        }

        @Override public String changeSessionId() { return response.containerCookies(super.changeSessionId(), true); }
    }

    /**
     * The response: every cookie passes the policy at the call that sets it (the container's own
     * serialisation kept); decorated as it commits (first byte, flush, error, redirect, chain end).
     */
    private final class Decorating extends HttpServletResponseWrapper {
        private final HttpServletRequest http;
        private final Outcome.Proceed request;
        private boolean decorated;
        private @Nullable ServletOutputStream out;
        private @Nullable PrintWriter writer;

        Decorating(HttpServletResponse response, HttpServletRequest http, Outcome.Proceed request) {
            super(response);
            this.http = http;
            this.request = request;
        }

        private ResponseHeaders headers() {
            HttpServletResponse r = (HttpServletResponse) getResponse();
            return ResponseHeaders.of(r::getHeaders, r::setHeader, r::addHeader);
        }

        void decorate() {
            if (!decorated && !isCommitted()) {
                decorated = true;
                gatehouse.decorate(request, headers());
            }
        }

        /** After the container may have set a cookie of its own (the session's) in the headers: passes them the policy. */
        <T> T containerCookies(T result, boolean set) {
            if (set && !isCommitted()) {
                gatehouse.rewriteSetCookies(headers());
            }
            return result;
        }

        private @Nullable String policy(String name, @Nullable String value) {
            return value != null && "Set-Cookie".equalsIgnoreCase(name) ? gatehouse.rewriteSetCookie(value) : value;
        }

        private @Nullable String location(@Nullable String to) {
            return request.location(to, http.getServerName(), http.getRequestURI());
        }

        @Override
        public void addCookie(Cookie cookie) {
            Cookie c = (Cookie) cookie.clone(); // the container writes it now (Tomcat, Jetty) or as it commits (Undertow)
            gatehouse.cookies().apply(c.getName(), c.getAttributes(), c.getSecure(), c.isHttpOnly(),
                    flag -> { if (flag.equals("Secure")) c.setSecure(true); else c.setHttpOnly(true); }, c::setAttribute);
            super.addCookie(c);
            if (!sameSiteWarned && c.getAttribute("SameSite") != null
                    && getHeaders("Set-Cookie").stream().noneMatch(h -> h.startsWith(c.getName() + "="))) {
                sameSiteWarned = true;
                LOG.log(System.Logger.Level.WARNING, "This container writes addCookie cookies at commit, past any filter, and"
                        + " may drop their SameSite (Undertow 2.3 does): cookie " + c.getName() + " and later ones can leave"
                        + " without it. Set such cookies with addHeader(\"Set-Cookie\", ...).");
            }
        }

        @Override public void addHeader(String name, @Nullable String value) { super.addHeader(name, policy(name, value)); }
        @Override public void setHeader(String name, @Nullable String value) { super.setHeader(name, policy(name, value)); }
        @Override public void reset() { super.reset(); decorated = false; }
        @Override public void flushBuffer() throws IOException { decorate(); super.flushBuffer(); }
        @Override public void sendError(int sc, String msg) throws IOException { decorate(); super.sendError(sc, msg); }
        @Override public void sendError(int sc) throws IOException { decorate(); super.sendError(sc); }
        @Override public void sendRedirect(String to) throws IOException { decorate(); super.sendRedirect(location(to)); }
        @Override public void sendRedirect(String to, boolean clear) throws IOException { decorate(); super.sendRedirect(location(to), clear); }
        @Override public void sendRedirect(String to, int sc) throws IOException { decorate(); super.sendRedirect(location(to), sc); }
        @Override public void sendRedirect(String to, int sc, boolean clear) throws IOException { decorate(); super.sendRedirect(location(to), sc, clear); }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            ServletOutputStream d = super.getOutputStream();
            return out != null ? out : (out = new ServletOutputStream() {
                @Override public void write(int b) throws IOException { decorate(); d.write(b); }
                @Override public void write(byte[] b, int off, int len) throws IOException { decorate(); d.write(b, off, len); }
                @Override public void flush() throws IOException { decorate(); d.flush(); }
                @Override public void close() throws IOException { decorate(); d.close(); }
                @Override public boolean isReady() { return d.isReady(); }
                @Override public void setWriteListener(WriteListener listener) { d.setWriteListener(listener); }
            });
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            PrintWriter d = super.getWriter();
            return writer != null ? writer : (writer = new PrintWriter(new Writer() {
                @Override public void write(char[] cbuf, int off, int len) { decorate(); d.write(cbuf, off, len); }
                @Override public void flush() { decorate(); d.flush(); }
                @Override public void close() { decorate(); d.close(); }
            }, false));
        }
    }
}
