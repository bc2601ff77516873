package io.gatehouse.http;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The read deadline of one connection ({@code GATEHOUSE_READ_TIMEOUT_SECONDS}), for adapters whose
 * server has no such timer of its own: each request must arrive <em>whole</em> (headers and body)
 * within the timeout, counted from the connection's start or the end of the previous response.
 * Unlike a timer that restarts on every byte, this stops a client sending one byte a second
 * (slowloris) from holding a connection; an idle keep-alive connection is closed after the same time.
 *
 * <p>The adapter says what happens ({@link #requestStarted}, {@link #requestArrived},
 * {@link #responseSent}); one timer per connection is moved lazily (a request costs no timer), and
 * when the deadline passes it runs {@code onIncomplete} (a request began: answer 408 and close) or
 * {@code onIdle} (no request began: close). Every method, and both callbacks, run on the
 * connection's one thread: {@code executor} is an event loop.
 */
public final class ArrivalDeadline {
    private final long timeoutNanos;
    private final ScheduledExecutorService executor;
    private final Runnable onIncomplete;
    private final Runnable onIdle;
    private @Nullable ScheduledFuture<?> timer;
    private long deadline;
    private boolean armed;
    private boolean started;
    private boolean stopped;
    /**
     * Requests read whole and not yet answered (more than one when pipelined); below zero while
     * answers went out before their requests had arrived whole (an answer given at the headers).
     */
    private int outstanding;

    /** A deadline of {@code timeout} per request, timed on {@code executor}. */
    public ArrivalDeadline(Duration timeout, ScheduledExecutorService executor, Runnable onIncomplete, Runnable onIdle) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("read timeout must be positive: " + timeout);
        }
        this.timeoutNanos = timeout.toNanos();
        this.executor = Objects.requireNonNull(executor, "executor");
        this.onIncomplete = Objects.requireNonNull(onIncomplete, "onIncomplete");
        this.onIdle = Objects.requireNonNull(onIdle, "onIdle");
    }

    /** The connection opened: the first request has the whole timeout from now. */
    public void start() {
        arm();
    }

    /** A request's headers arrived; its body may follow. */
    public void requestStarted() {
        started = true;
    }

    /**
     * A request arrived whole: nothing to enforce until its response is sent, unless it was already
     * answered, in which case the next request's time starts now.
     */
    public void requestArrived() {
        if (++outstanding > 0) {
            armed = false;
            started = false;
        } else {
            arm();
        }
    }

    /**
     * A final response was sent completely (not an interim 1xx); when none is outstanding the next
     * request's time starts now. A response sent before its request arrived whole (an answer given at
     * the headers) leaves the request's own deadline running.
     */
    public void responseSent() {
        if (--outstanding == 0) {
            arm();
        }
    }

    /** The connection closed: no more checks. */
    public void stop() {
        stopped = true;
        armed = false;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void arm() {
        deadline = System.nanoTime() + timeoutNanos;
        armed = true;
        started = false;
        if (timer == null && !stopped) {
            schedule(timeoutNanos);
        }
    }

    private void schedule(long nanos) {
        timer = executor.schedule(this::check, nanos, TimeUnit.NANOSECONDS);
    }

    private void check() {
        timer = null;
        if (!armed || stopped) {
            return;
        }
        long left = deadline - System.nanoTime();
        if (left > 0) {
            schedule(left);
            return;
        }
        armed = false;
        (started ? onIncomplete : onIdle).run();
    }
}
