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
 * connection is closed after the same time. No timer runs while the application works on a request.
 * Put it right after {@code HttpServerCodec}; one instance per channel (it has state).
 */
public final class RequestTimeoutHandler extends ChannelDuplexHandler {
    private final long timeoutNanos;
    private ScheduledFuture<?> timer;
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
        disarm();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        disarm();
    }

    private void arm(ChannelHandlerContext ctx) {
        disarm();
        timer = ctx.executor().schedule(() -> {
            if (ctx.channel().isActive()) {
                ctx.close();
            }
        }, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    private void disarm() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
