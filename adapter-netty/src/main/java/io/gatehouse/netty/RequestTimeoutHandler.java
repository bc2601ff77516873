package io.gatehouse.netty;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Cuts off a connection whose next request does not arrive <em>completely</em> (headers and body)
 * within the timeout, counted from the connection's start or the end of the previous response.
 * Unlike {@code ReadTimeoutHandler}, which restarts on every byte, this stops a client that sends
 * one byte per second (slowloris) from holding a connection and its buffers; an idle keep-alive
 * connection is closed after the same time. A request costs no timer: one pending check per
 * connection is moved lazily when it fires (as {@code IdleStateHandler} does).
 * Put it right after {@code HttpServerCodec}; one instance per channel (it has state).
 */
public final class RequestTimeoutHandler extends ChannelDuplexHandler {
    private final long timeoutNanos;
    /** The pending deadline check, or null. One per connection, re-armed lazily: a request costs no timer. */
    private ScheduledFuture<?> timer;
    /** {@link System#nanoTime()} by which the current request must have arrived, while armed. */
    private long deadline;
    private boolean armed;
    /** Requests read completely and not yet answered (more than one when pipelined). */
    private int outstanding;

    /** {@code GATEHOUSE_READ_TIMEOUT_SECONDS}: how long a whole request may take to arrive. */
    public RequestTimeoutHandler(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive() && ctx.channel().isRegistered()) {
            arm(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        arm(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof LastHttpContent) {
            outstanding++;
            disarm();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof LastHttpContent) {
            // The response is complete: the next request has the whole timeout again.
            promise = promise.unvoid();
            promise.addListener(f -> {
                outstanding = Math.max(0, outstanding - 1);
                if (outstanding == 0 && ctx.channel().isActive()) {
                    arm(ctx);
                }
            });
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    /** Gives the next request the whole timeout from now; the pending check, if any, is reused. */
    private void arm(ChannelHandlerContext ctx) {
        deadline = System.nanoTime() + timeoutNanos;
        armed = true;
        if (timer == null) {
            schedule(ctx, timeoutNanos);
        }
    }

    /** The request has arrived: nothing to enforce until the next arm (the pending check finds that). */
    private void disarm() {
        armed = false;
    }

    private void stop() {
        armed = false;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void schedule(ChannelHandlerContext ctx, long delayNanos) {
        timer = ctx.executor().schedule(() -> check(ctx), delayNanos, TimeUnit.NANOSECONDS);
    }

    /** The timer: close when the armed deadline has passed, else look again when it will have. */
    private void check(ChannelHandlerContext ctx) {
        timer = null;
        if (!armed || !ctx.channel().isActive()) {
            return;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            ctx.close();
        } else {
            schedule(ctx, left);
        }
    }
}
