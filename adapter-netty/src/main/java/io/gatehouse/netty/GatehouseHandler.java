package io.gatehouse.netty;

import io.gatehouse.config.Gatehouse;
import io.gatehouse.config.Outcome;
import io.gatehouse.csp.ReportBody;
import io.gatehouse.http.ArrivalDeadline;
import io.gatehouse.http.RequestTarget;
import io.gatehouse.http.RequestView;
import io.gatehouse.http.Response;
import io.gatehouse.http.ResponseHeaders;
import io.gatehouse.ip.IpAddress;
import io.gatehouse.proxy.ClientIp;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Gatehouse for a Netty 4.2 HTTP/1.1 pipeline: it translates each request for {@link Gatehouse#decide}
 * and writes back what Gatehouse answers, feeds CSP report bodies to the core, decorates the
 * application's responses ({@link Gatehouse#decorate}), answers a request the decoder could not frame
 * with 400, and enforces {@code GATEHOUSE_READ_TIMEOUT_SECONDS} per request (408 for a request that
 * began; an idle connection is closed). One instance per channel, right after {@link #codec()}:
 * {@code pipeline.addLast(GatehouseHandler.codec(), new GatehouseHandler(gatehouse), aggregator, app)}.
 */
public final class GatehouseHandler extends ChannelDuplexHandler {
    /** The request the channel's application is answering, as Gatehouse let it through. */
    public static final AttributeKey<Outcome.Proceed> REQUEST = AttributeKey.valueOf("io.gatehouse.request");
    private static final System.Logger LOG = System.getLogger(GatehouseHandler.class.getName());

    private final Gatehouse gatehouse;
    private final ArrivalDeadline deadline;
    private final ArrayDeque<Outcome.Proceed> answering = new ArrayDeque<>();
    private ScheduledFuture<?> timer;
    private ChannelHandlerContext ctx;
    private IpAddress peer;
    private boolean tls;
    private boolean discard;
    private ReportBody report;
    private boolean keepAlive;

    /** A handler applying {@code gatehouse} to one channel. */
    public GatehouseHandler(Gatehouse gatehouse) {
        this.gatehouse = gatehouse;
        this.deadline = new ArrivalDeadline(Duration.ofSeconds(gatehouse.config().readTimeoutSeconds()));
    }

    /** The HTTP codec to put before this handler: Netty's, refusing {@code Content-Length} with {@code Transfer-Encoding}. */
    public static HttpServerCodec codec() {
        return new HttpServerCodec(StrictFraming.config());
    }

    /** The current request of {@code channel} as Gatehouse let it through (null before the first). */
    public static Outcome.Proceed request(Channel channel) {
        return channel.attr(REQUEST).get();
    }

    /** The resolved client of {@code channel}'s current request (null before the first). */
    public static ClientIp clientIp(Channel channel) {
        Outcome.Proceed p = request(channel);
        return p == null ? null : p.client();
    }

    /** Whether {@code channel}'s current request reached the client over https. */
    public static boolean isHttps(Channel channel) {
        Outcome.Proceed p = request(channel);
        return p != null && p.https();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        tls = ctx.pipeline().get(SslHandler.class) != null;
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null) {
            peer = IpAddress.ofBytes(a.getAddress().getAddress());
        }
        deadline.arm(System.nanoTime());
        schedule(deadline.timeoutNanos());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpObject o && (o.decoderResult().isFailure() || StrictFraming.conflict(o))) {
            ReferenceCountUtil.release(msg);
            answer(gatehouse.malformed());
            return;
        }
        if (msg instanceof HttpRequest req) {
            deadline.requestStarted();
            keepAlive = HttpUtil.isKeepAlive(req);
            Outcome outcome = gatehouse.decide(new View(req, RequestTarget.parse(req.uri())));
            if (outcome instanceof Outcome.Proceed p) {
                answering.add(p);
                ctx.channel().attr(REQUEST).set(p);
            } else if (outcome instanceof Outcome.Answer a) {
                answer(a.response());
            } else if (outcome instanceof Outcome.ReadReport r) {
                report = r.body();
                if (HttpUtil.is100ContinueExpected(req)) {
                    ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
                }
            }
            discard = !(outcome instanceof Outcome.Proceed);
        }
        if (msg instanceof LastHttpContent) {
            deadline.requestArrived();
        }
        if (!discard) {
            ctx.fireChannelRead(msg);
        } else if (msg instanceof HttpContent c && report != null) {
            Response tooLarge = report.offer(c.content().nioBuffer());
            c.release();
            if (tooLarge != null || c instanceof LastHttpContent) {
                answer(tooLarge != null ? tooLarge : report.finish());
            }
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse res && res.status().codeClass() != io.netty.handler.codec.http.HttpStatusClass.INFORMATIONAL) {
            Outcome.Proceed p = answering.isEmpty() ? ctx.channel().attr(REQUEST).get() : answering.poll();
            if (p != null) {
                gatehouse.decorate(p, new Headers(res.headers()));
            }
        }
        if (msg instanceof LastHttpContent) {
            promise = promise.unvoid().addListener(f -> responseSent());
        }
        ctx.write(msg, promise);
    }

    /** Writes an answer of Gatehouse's own, closing the connection when it says so or the client asked. */
    private void answer(Response r) {
        report = null;
        discard = true;
        var res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
                Unpooled.wrappedBuffer(r.bodyBuffer()));
        r.headers().forEach(res.headers()::set);
        if (r.status() != 204) {
            HttpUtil.setContentLength(res, r.bodyLength());
        }
        boolean close = r.closeConnection() || !keepAlive;
        HttpUtil.setKeepAlive(res, !close);
        var f = ctx.writeAndFlush(res).addListener(done -> responseSent());
        if (close) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void responseSent() {
        deadline.responseSent(System.nanoTime());
        if (timer == null && ctx.channel().isActive()) {
            schedule(deadline.timeoutNanos());
        }
    }

    private void schedule(long nanos) {
        timer = ctx.executor().schedule(this::check, nanos, TimeUnit.NANOSECONDS);
    }

    /** The timer: a request that began and did not arrive in time gets 408; an idle connection is closed. */
    private void check() {
        timer = null;
        switch (deadline.check(System.nanoTime())) {
            case PENDING -> schedule(deadline.nanosLeft());
            case REQUEST_INCOMPLETE -> answer(report != null ? report.timedOut() : gatehouse.timedOut().closingConnection());
            case IDLE -> ctx.close();
            case NONE -> { }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Never the exception's message: a decoder's (a TLS record, say) carries the request's bytes.
        LOG.log(System.Logger.Level.DEBUG, "closing the connection from {0}: {1}", peer, cause.getClass().getName());
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
        }
        if (report != null) {
            report.abort();
        }
        ctx.fireChannelInactive();
    }

    /** A Netty request as Gatehouse reads it. */
    private final class View implements RequestView {
        private final HttpRequest req;
        private final RequestTarget target;

        View(HttpRequest req, RequestTarget target) {
            this.req = req;
            this.target = target;
        }

        @Override public String method() { return req.method().name(); }
        @Override public String path() { return target.path(); }
        @Override public String query() { return target.query(); }
        @Override public String host() { return req.headers().get("Host"); }
        @Override public IpAddress peer() { return peer; }
        @Override public boolean tls() { return tls; }
        @Override public List<String> values(String name) { return req.headers().getAll(name); }
    }

    /** A Netty response's headers as Gatehouse decorates them. */
    private record Headers(HttpHeaders h) implements ResponseHeaders {
        @Override public List<String> values(String name) { return h.getAll(name); }
        @Override public void set(String name, List<String> values) { h.set(name, values); }
        @Override public boolean contains(String name) { return h.contains(name); }
    }

    @Override
    public String toString() {
        return "GatehouseHandler{" + gatehouse + "}";
    }
}
