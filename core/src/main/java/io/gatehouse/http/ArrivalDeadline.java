package io.gatehouse.http;

import java.time.Duration;

/**
 * The read deadline of one connection ({@code GATEHOUSE_READ_TIMEOUT_SECONDS}), for adapters whose
 * server has no such timer of its own: each request must arrive <em>whole</em> (headers and body)
 * within the timeout, counted from the connection's start or the end of the previous response. Unlike
 * a timer that restarts on every byte, this stops a client sending one byte a second (slowloris)
 * from holding a connection; an idle keep-alive connection is closed after the same time.
 *
 * <p>The adapter tells it what happens ({@link #requestStarted}, {@link #requestArrived},
 * {@link #responseSent}) and runs one timer, moved lazily: {@link #check} says when to look again,
 * or that the deadline has passed. Not thread-safe: one connection, one thread (an event loop).
 */
public final class ArrivalDeadline {
    /** What {@link #check} found. */
    public enum Expiry {
        /** Nothing is being waited for: the timer may stop. */
        NONE,
        /** Not yet: look again after {@link #nanosLeft}. */
        PENDING,
        /** A request began and did not arrive whole in time: answer 408 and close. */
        REQUEST_INCOMPLETE,
        /** No request began in time (an idle or silent connection): close without an answer. */
        IDLE
    }

    private final long timeoutNanos;
    private long deadline;
    private boolean armed;
    private boolean started;
    /** Requests read whole and not yet answered (more than one when pipelined). */
    private int outstanding;
    private long left;

    /** A deadline of {@code timeout} per request. */
    public ArrivalDeadline(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("read timeout must be positive: " + timeout);
        }
        this.timeoutNanos = timeout.toNanos();
    }

    /** The connection opened (or the previous response was sent): the next request has the whole timeout from {@code now}. */
    public void arm(long now) {
        deadline = now + timeoutNanos;
        armed = true;
        started = false;
    }

    /** A request's headers arrived; its body may follow. */
    public void requestStarted() {
        started = true;
    }

    /** A request arrived whole: nothing to enforce until its response is sent. */
    public void requestArrived() {
        outstanding++;
        armed = false;
        started = false;
    }

    /** A response was sent completely; when none is outstanding the next request's time starts at {@code now}. */
    public void responseSent(long now) {
        outstanding = Math.max(0, outstanding - 1);
        if (outstanding == 0) {
            arm(now);
        }
    }

    /** What the timer finds at {@code now} ({@link System#nanoTime}). */
    public Expiry check(long now) {
        if (!armed) {
            return Expiry.NONE;
        }
        left = deadline - now;
        if (left > 0) {
            return Expiry.PENDING;
        }
        armed = false;
        return started ? Expiry.REQUEST_INCOMPLETE : Expiry.IDLE;
    }

    /** After {@link Expiry#PENDING}: the nanoseconds to wait before the next {@link #check}. */
    public long nanosLeft() {
        return left;
    }

    /** The whole timeout, in nanoseconds (the first wait after {@link #arm}). */
    public long timeoutNanos() {
        return timeoutNanos;
    }
}
