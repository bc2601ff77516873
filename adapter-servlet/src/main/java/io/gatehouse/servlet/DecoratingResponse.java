package io.gatehouse.servlet;

import io.gatehouse.config.Gatehouse;
import io.gatehouse.config.Outcome;
import io.gatehouse.http.ResponseHeaders;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * The application's response, decorated by {@link Gatehouse#decorate} just before it commits: at the
 * first byte written, a flush, {@code sendError}, any {@code sendRedirect}, or the end of the filter
 * chain. A {@code Set-Cookie} added after that (by an error page, say) passes the policy as it comes.
 */
final class DecoratingResponse extends HttpServletResponseWrapper implements ResponseHeaders {
    private final HttpServletResponse response;
    private final Gatehouse gatehouse;
    private final Outcome.Proceed request;
    private boolean decorated;
    private ServletOutputStream out;
    private PrintWriter writer;

    DecoratingResponse(HttpServletResponse response, Gatehouse gatehouse, Outcome.Proceed request) {
        super(response);
        this.response = response;
        this.gatehouse = gatehouse;
        this.request = request;
    }

    /** Decorates the headers, once, if the response is not committed yet. */
    void decorate() {
        if (!decorated && !response.isCommitted()) {
            decorated = true;
            gatehouse.decorate(request, this);
        }
    }

    @Override
    public List<String> values(String name) {
        return new ArrayList<>(response.getHeaders(name));
    }

    @Override
    public void set(String name, List<String> values) {
        response.setHeader(name, values.get(0));
        values.subList(1, values.size()).forEach(v -> response.addHeader(name, v));
    }

    @Override
    public boolean contains(String name) {
        return response.containsHeader(name);
    }

    private String policy(String name, String value) {
        return decorated && value != null && "Set-Cookie".equalsIgnoreCase(name) ? gatehouse.rewriteSetCookie(value) : value;
    }

    @Override
    public void addHeader(String name, String value) {
        super.addHeader(name, policy(name, value));
    }

    @Override
    public void setHeader(String name, String value) {
        super.setHeader(name, policy(name, value));
    }

    @Override
    public void flushBuffer() throws IOException {
        decorate();
        super.flushBuffer();
    }

    @Override
    public void sendError(int sc, String msg) throws IOException {
        decorate();
        super.sendError(sc, msg);
    }

    @Override
    public void sendError(int sc) throws IOException {
        decorate();
        super.sendError(sc);
    }

    @Override
    public void sendRedirect(String location) throws IOException {
        decorate();
        super.sendRedirect(location);
    }

    @Override
    public void sendRedirect(String location, int sc, boolean clearBuffer) throws IOException {
        decorate();
        super.sendRedirect(location, sc, clearBuffer);
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        if (out == null) {
            ServletOutputStream d = super.getOutputStream();
            out = new ServletOutputStream() {
                @Override public void write(int b) throws IOException { decorate(); d.write(b); }
                @Override public void write(byte[] b, int off, int len) throws IOException { decorate(); d.write(b, off, len); }
                @Override public void flush() throws IOException { decorate(); d.flush(); }
                @Override public void close() throws IOException { decorate(); d.close(); }
                @Override public boolean isReady() { return d.isReady(); }
                @Override public void setWriteListener(WriteListener listener) { d.setWriteListener(listener); }
            };
        }
        return out;
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        if (writer == null) {
            PrintWriter d = super.getWriter();
            writer = new PrintWriter(new Writer() {
                @Override public void write(char[] cbuf, int off, int len) { decorate(); d.write(cbuf, off, len); }
                @Override public void flush() { decorate(); d.flush(); }
                @Override public void close() { decorate(); d.close(); }
            }, false);
        }
        return writer;
    }
}
