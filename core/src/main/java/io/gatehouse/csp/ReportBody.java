package io.gatehouse.csp;

import io.gatehouse.http.Response;
import io.gatehouse.proxy.HeaderLookup;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The body of one report request, read as it arrives: the adapter {@linkplain #offer offers} each
 * chunk, then {@linkplain #finish finishes}, and writes the one answer it is given. The size limit
 * is enforced while reading (413, and the rest is never read), and the deadline is kept here: an
 * adapter whose timer fires asks {@link #timedOut} for the answer (408). Not thread-safe: one
 * request, fed by one thread at a time.
 */
public final class ReportBody {
    private static final Response TIMED_OUT = Response.text(408, "Request Timeout: the report body did not arrive in time\n")
            .closingConnection();

    private final CspReportEndpoint endpoint;
    private final String rawQuery;
    private final HeaderLookup headers;
    private final long deadlineNanos;
    private final long timeoutNanos;
    private byte[] buf;
    private int length;
    private boolean done;

    ReportBody(CspReportEndpoint endpoint, String rawQuery, String contentType, HeaderLookup headers, long timeoutNanos) {
        this.endpoint = endpoint;
        this.rawQuery = rawQuery;
        this.headers = headers;
        this.timeoutNanos = timeoutNanos;
        long now = System.nanoTime();
        this.deadlineNanos = timeoutNanos > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + timeoutNanos;
    }

    /**
     * Adds {@code len} bytes of {@code b} from {@code off}. Returns null to go on reading, or the
     * answer (413, closing the connection) once the body has passed the limit; after an answer the
     * body is done and further chunks are ignored.
     */
    public Response offer(byte[] b, int off, int len) {
        if (done) {
            return null;
        }
        if (!ensure(len)) {
            return tooLarge();
        }
        System.arraycopy(b, off, buf, length, len);
        length += len;
        return null;
    }

    /** As {@link #offer(byte[], int, int)}, with the buffer's remaining bytes (its position is not moved). */
    public Response offer(ByteBuffer chunk) {
        if (done) {
            return null;
        }
        int len = chunk.remaining();
        if (!ensure(len)) {
            return tooLarge();
        }
        chunk.duplicate().get(buf, length, len);
        length += len;
        return null;
    }

    /** The whole body has arrived: the endpoint's answer (events accepted, or why not). */
    public Response finish() {
        if (done) {
            throw new IllegalStateException("the report body was already answered");
        }
        done = true;
        byte[] b = buf == null ? new byte[0] : buf;
        buf = null;
        return endpoint.handleBody(rawQuery, headers, b, length);
    }

    /** The deadline passed before the body arrived: 408, closing the connection; nothing is accepted. */
    public Response timedOut() {
        done = true;
        buf = null;
        return TIMED_OUT;
    }

    /** The client went away: drops what was read. */
    public void abort() {
        done = true;
        buf = null;
    }

    /** Whether an answer was given (or the read was aborted). */
    public boolean isDone() {
        return done;
    }

    /** How long the whole body may take, from when reading started. */
    public long timeoutMillis() {
        return timeoutNanos / 1_000_000;
    }

    /** Nanoseconds left until the deadline (negative once passed), on the {@link System#nanoTime} clock. */
    public long remainingNanos() {
        return deadlineNanos - System.nanoTime();
    }

    private boolean ensure(int more) {
        long need = (long) length + more;
        if (need > endpoint.maxBodyBytes()) {
            return false;
        }
        if (buf == null) {
            buf = new byte[(int) Math.max(need, Math.min(endpoint.maxBodyBytes(), 8192))];
        } else if (need > buf.length) {
            buf = Arrays.copyOf(buf, (int) Math.min(endpoint.maxBodyBytes(), Math.max(need, buf.length * 2L)));
        }
        return true;
    }

    private Response tooLarge() {
        done = true;
        buf = null;
        return endpoint.tooLarge(headers).closingConnection();
    }
}
