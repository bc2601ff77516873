package io.gatehouse.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An answer Gatehouse gives itself, for every adapter alike: a status, headers in order, a body,
 * and whether the connection must be closed after it (the request body was not read, or the request
 * could not be framed). Immutable, so one instance may be shared by any number of requests: the body
 * is handed out as a copy or a read-only view.
 */
public final class Response {
    private static final byte[] EMPTY = new byte[0];

    private final int status;
    private final Map<String, String> headers;
    private final byte[] body;
    private final boolean closeConnection;

    private Response(int status, Map<String, String> headers, byte[] body, boolean closeConnection) {
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.closeConnection = closeConnection;
    }

    /**
     * A response; {@code headers} and {@code body} are copied.
     *
     * @throws IllegalArgumentException when {@code status} is not 100-599
     */
    public static Response of(int status, Map<String, String> headers, byte[] body) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("HTTP status must be 100-599: " + status);
        }
        Map<String, String> h = headers.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        return new Response(status, h, body.length == 0 ? EMPTY : body.clone(), false);
    }

    /** A {@code text/plain; charset=utf-8} response. */
    public static Response text(int status, String body) {
        return of(status, Map.of("Content-Type", "text/plain; charset=utf-8"), body.getBytes(StandardCharsets.UTF_8));
    }

    /** A response without a body. */
    public static Response empty(int status) {
        return of(status, Map.of(), EMPTY);
    }

    /**
     * This response with {@code Connection: close}, telling the adapter to close the connection once it
     * is written (and not to read what is left of the request).
     */
    public Response closingConnection() {
        if (closeConnection) {
            return this;
        }
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put("Connection", "close");
        return new Response(status, Collections.unmodifiableMap(h), body, true);
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The headers in order (unmodifiable); a 204 carries no {@code Content-Type}. */
    public Map<String, String> headers() {
        return headers;
    }

    /** A copy of the body. */
    public byte[] body() {
        return body.clone();
    }

    /** The body as a read-only view, for writing without a copy. */
    public ByteBuffer bodyBuffer() {
        return ByteBuffer.wrap(body).asReadOnlyBuffer();
    }

    /** The body's length in bytes. */
    public int bodyLength() {
        return body.length;
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Whether the adapter closes the connection after writing this response. */
    public boolean closeConnection() {
        return closeConnection;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Response r && r.status == status && r.closeConnection == closeConnection
                && r.headers.equals(headers) && java.util.Arrays.equals(r.body, body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, headers, closeConnection) * 31 + java.util.Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "Response{" + status + ", " + headers + ", " + body.length + " bytes" + (closeConnection ? ", close" : "") + "}";
    }
}
