package io.gatehouse.http;

/** Gatehouse's own answers about the HTTP exchange itself, the same on every adapter. */
public final class Answers {
    /**
     * A request that cannot be framed (a bad, negative or conflicting {@code Content-Length},
     * {@code Content-Length} with {@code Transfer-Encoding}, a bad chunk, an invalid or too long
     * header line): 400, closing the connection.
     */
    public static final Response MALFORMED = Response.text(400,
            "Bad Request: the request could not be framed (Content-Length, Transfer-Encoding, chunks or header syntax)\n")
            .closingConnection();

    /** A request that began but did not arrive whole within {@code GATEHOUSE_READ_TIMEOUT_SECONDS}: 408, closing the connection. */
    public static final Response TIMED_OUT = Response.text(408, "Request Timeout: the request did not arrive in time\n")
            .closingConnection();

    private Answers() {
    }
}
