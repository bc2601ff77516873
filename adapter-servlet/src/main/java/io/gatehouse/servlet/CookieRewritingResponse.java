package io.gatehouse.servlet;

import io.gatehouse.config.Gatehouse;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Rewrites every {@code Set-Cookie} of the response just before it commits: at the first byte
 * written, a flush, {@code sendError}, {@code sendRedirect}, or the end of the filter chain. Cookies
 * from {@code addCookie}, {@code addHeader}, {@code setHeader} and the container itself (such as the
 * session cookie) all pass through the policy; once the response is committed no header can be
 * added at all, so none slips past.
 */
final class CookieRewritingResponse extends HttpServletResponseWrapper {
    private final HttpServletResponse response;
    private final Gatehouse gatehouse;
    private boolean rewritten;
    private ServletOutputStream out;
    private PrintWriter writer;

    CookieRewritingResponse(HttpServletResponse response, Gatehouse gatehouse) {
        super(response);
        this.response = response;
        this.gatehouse = gatehouse;
    }

    /** Rewrites the {@code Set-Cookie} headers, once, if the response is not committed yet. */
    void rewriteCookies() {
        if (rewritten || response.isCommitted()) {
            return;
        }
        rewritten = true;
        Collection<String> cookies = response.getHeaders("Set-Cookie");
        if (cookies == null || cookies.isEmpty()) {
            return;
        }
        List<String> out = new ArrayList<>(cookies.size());
        for (String c : cookies) {
            out.add(gatehouse.rewriteSetCookie(c));
        }
        response.setHeader("Set-Cookie", out.get(0));
        for (int i = 1; i < out.size(); i++) {
            response.addHeader("Set-Cookie", out.get(i));
        }
    }

    @Override
    public void addHeader(String name, String value) {
        // Headers set after the rewrite (e.g. by an error page) are rewritten as they come.
        super.addHeader(name, rewritten && "Set-Cookie".equalsIgnoreCase(name) ? gatehouse.rewriteSetCookie(value) : value);
    }

    @Override
    public void setHeader(String name, String value) {
        super.setHeader(name, rewritten && "Set-Cookie".equalsIgnoreCase(name) && value != null
                ? gatehouse.rewriteSetCookie(value) : value);
    }

    @Override
    public void flushBuffer() throws IOException {
        rewriteCookies();
        super.flushBuffer();
    }

    @Override
    public void sendError(int sc, String msg) throws IOException {
        rewriteCookies();
        super.sendError(sc, msg);
    }

    @Override
    public void sendError(int sc) throws IOException {
        rewriteCookies();
        super.sendError(sc);
    }

    @Override
    public void sendRedirect(String location, int sc, boolean clearBuffer) throws IOException {
        rewriteCookies();
        super.sendRedirect(location, sc, clearBuffer);
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        if (out == null) {
            ServletOutputStream delegate = super.getOutputStream();
            out = new ServletOutputStream() {
                @Override
                public void write(int b) throws IOException {
                    rewriteCookies();
                    delegate.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    rewriteCookies();
                    delegate.write(b, off, len);
                }

                @Override
                public void flush() throws IOException {
                    rewriteCookies();
                    delegate.flush();
                }

                @Override
                public void close() throws IOException {
                    rewriteCookies();
                    delegate.close();
                }

                @Override
                public boolean isReady() {
                    return delegate.isReady();
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                    delegate.setWriteListener(listener);
                }
            };
        }
        return out;
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        if (writer == null) {
            PrintWriter delegate = super.getWriter();
            writer = new PrintWriter(new Writer() {
                @Override
                public void write(char[] cbuf, int off, int len) {
                    rewriteCookies();
                    delegate.write(cbuf, off, len);
                }

                @Override
                public void flush() {
                    rewriteCookies();
                    delegate.flush();
                }

                @Override
                public void close() {
                    rewriteCookies();
                    delegate.close();
                }
            }, false);
        }
        return writer;
    }
}
