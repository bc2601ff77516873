package io.gatehouse.csp;

import io.gatehouse.http.Answers;
import io.gatehouse.http.Response;
import io.gatehouse.proxy.HeaderLookup;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The body of one report request, read as it arrives: the adapter {@linkplain #offer offers} each
 * chunk, then {@linkplain #finish finishes}, and writes the one answer it is given. The size limit
 * is enforced while reading (413, and the rest is never read), and the deadline is kept here: an
 * adapter whose timer fires asks {@link #timedOut} for the answer (408). Not thread-safe: one
 * request, fed by one thread at a time.
 */
public final class ReportBody {
    private final CspReportEndpoint endpoint;
    private final @Nullable String rawQuery;
    private final @Nullable String contentType;
    private final HeaderLookup headers;
    private final long deadlineNanos;
    private final long timeoutNanos;
    private byte @Nullable [] buf;
    private int length;
    private boolean done;

    ReportBody(CspReportEndpoint endpoint, @Nullable String rawQuery, @Nullable String contentType, HeaderLookup headers,
               long timeoutNanos) {
        this.endpoint = endpoint;
        this.rawQuery = rawQuery;
        this.contentType = contentType;
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
    public @Nullable Response offer(byte[] b, int off, int len) {
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
    public @Nullable Response offer(ByteBuffer chunk) {
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

    /**
     * Reads what {@code in} has while {@code ready} says so (a blocking stream: {@code () -> true}).
     * Returns the answer once there is one: 413 past the limit, or the endpoint's at the end of the
     * stream; null while more is to come (or when already answered).
     *
     * @throws IOException when reading fails: the answer is then {@link #failed}'s
     */
    public @Nullable Response readFrom(InputStream in, BooleanSupplier ready) throws IOException {
        int declared = declaredLength();
        byte[] chunk = new byte[declared >= 0 && declared < 8192 ? declared + 1 : 8192];
        while (!done && ready.getAsBoolean()) {
            int n = in.read(chunk);
            if (n < 0) {
                return finish();
            }
            Response tooLarge = offer(chunk, 0, n);
            if (tooLarge != null) {
                return tooLarge;
            }
        }
        return null;
    }

    /**
     * Reading failed: 408 when it was a read timeout or the deadline has passed, else 400 (a body
     * that cannot be framed, such as a bad chunk), both closing the connection; null when already
     * answered. Nothing is accepted.
     */
    public @Nullable Response failed(@Nullable Throwable cause) {
        if (done) {
            return null;
        }
        boolean timeout = remainingNanos() <= 0;
        for (Throwable c = cause; c != null && !timeout; c = c.getCause()) {
            timeout = c instanceof SocketTimeoutException;
        }
        return timeout ? timedOut() : fail();
    }

    private Response fail() {
        abort();
        return Answers.MALFORMED;
    }

    /**
     * As {@link #offer(ByteBuffer)}; when {@code last} says the body ends with this chunk, the
     * endpoint's answer ({@link #finish}). Null while more is to come.
     */
    public @Nullable Response offer(ByteBuffer chunk, boolean last) {
        Response tooLarge = offer(chunk);
        return tooLarge != null || !last ? tooLarge : finish();
    }

    /** The whole body has arrived: the endpoint's answer (events accepted, or why not); null when already answered. */
    public @Nullable Response finish() {
        if (done) {
            return null;
        }
        done = true;
        byte[] b = buf == null ? new byte[0] : buf;
        buf = null;
        return endpoint.handleBody(rawQuery, contentType, headers, b, length);
    }

    /** The deadline passed before the body arrived: 408, closing the connection; nothing is accepted. */
    public Response timedOut() {
        done = true;
        buf = null;
        return Answers.TIMED_OUT;
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
            // The declared length when there is one (a report is usually well under 1 KB: a zeroed
            // 8 KB buffer per report was the top frame of the load profile), else 8 KB.
            int declared = declaredLength();
            buf = new byte[(int) Math.max(need, declared >= 0 ? declared : Math.min(endpoint.maxBodyBytes(), 8192))];
        } else if (need > buf.length) {
            buf = Arrays.copyOf(buf, (int) Math.min(endpoint.maxBodyBytes(), Math.max(need, buf.length * 2L)));
        }
        return true;
    }

    /** The request's {@code Content-Length} when it is one decimal within the endpoint's limit, else -1. */
    private int declaredLength() {
        String cl = headers.first("Content-Length");
        if (cl == null || cl.isEmpty() || cl.length() > 9) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < cl.length(); i++) {
            char c = cl.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v <= endpoint.maxBodyBytes() ? v : -1;
    }

    private Response tooLarge() {
        done = true;
        buf = null;
        return endpoint.tooLarge(headers).closingConnection();
    }
}
