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
import io.gatehouse.ip.MutableIpAddress;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
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
import java.util.Iterator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Gatehouse for a Netty 4.2 HTTP/1.1 pipeline, translating each request for {@link Gatehouse#decide}
 * and its answer back (400 for what the decoder cannot frame; the per-request read deadline). One per
 * channel: {@code pipeline.addLast(GatehouseHandler.codec(), new GatehouseHandler(gatehouse), aggregator, app)}.
 */
public final class GatehouseHandler extends ChannelDuplexHandler {
    /** The request the channel's application is answering, as Gatehouse let it through. */
    public static final AttributeKey<Outcome.Proceed> REQUEST = AttributeKey.valueOf("io.gatehouse.request");
    private static final System.Logger LOG = System.getLogger(GatehouseHandler.class.getName());

    private final Gatehouse gatehouse;
    /** Requests not answered yet, in order: a Proceed the application answers, or an answer of ours waiting its turn. */
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    @SuppressWarnings("NullAway.Init") // set in handlerAdded, which Netty calls before any other method
    private ArrivalDeadline deadline;
    @SuppressWarnings("NullAway.Init") // set in handlerAdded
    private ChannelHandlerContext ctx;
    /** Null when the transport has no IP peer (a Unix domain socket). */
    private @Nullable IpAddress peer;
    private boolean tls;
    private boolean discard;
    private @Nullable ReportBody report;
    private boolean keepAlive;
    private boolean informational;
    /** The current request as Gatehouse reads it, and the client's holder: reused, one request at a time. */
    private View view = new View();
    private final MutableIpAddress scratch = new MutableIpAddress();
    private final Headers responseHeaders = new Headers();

    /** A handler applying {@code gatehouse} to one channel. */
    public GatehouseHandler(Gatehouse gatehouse) {
        this.gatehouse = gatehouse;
    }

    /** The HTTP codec to put before this handler: Netty's, refusing {@code Content-Length} with {@code Transfer-Encoding}. */
    public static HttpServerCodec codec() {
        return new HttpServerCodec(new HttpDecoderConfig().setHeadersFactory(StrictFraming.FACTORY));
    }

    /** The current request of {@code channel} as Gatehouse let it through (client, scheme, host, port), or null. */
    public static Outcome.@Nullable Proceed request(Channel channel) {
        return channel.attr(REQUEST).get();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        tls = ctx.pipeline().get(SslHandler.class) != null;
        peer = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? IpAddress.ofBytes(a.getAddress().getAddress()) : null;
        deadline = new ArrivalDeadline(Duration.ofSeconds(gatehouse.config().readTimeoutSeconds()), ctx.executor(),
                () -> send(report != null ? report.timedOut() : gatehouse.timedOut()), ctx::close);
        deadline.start();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpObject o && (o.decoderResult().isFailure() || StrictFraming.conflict(o))) {
            ReferenceCountUtil.release(msg);
            answer(gatehouse.malformed());
            return;
        }
        if (msg instanceof HttpRequest r) {
            deadline.requestStarted();
            keepAlive = HttpUtil.isKeepAlive(r);
            Outcome outcome = gatehouse.decide(view.of(r, peer, tls), scratch);
            if (outcome instanceof Outcome.ReadReport) {
                view = new View(); // the report body reads this request's headers as it completes
            }
            if (outcome instanceof Outcome.Proceed p) {
                queue.add(p);
                ctx.channel().attr(REQUEST).set(p);
            } else if (outcome instanceof Outcome.Answer a) {
                answer(a.response());
            } else if (outcome instanceof Outcome.ReadReport read) {
                report = read.body();
                if (HttpUtil.is100ContinueExpected(r)) {
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
            Response answer = report.offer(c.content().nioBuffer(), c instanceof LastHttpContent);
            c.release();
            if (answer != null) {
                answer(answer);
            }
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse res) {
            informational = res.status().code() < 200;
            if (res.status().code() == 101) {
                deadline.stop(); // upgraded (a WebSocket, say): no more HTTP requests to time
            } else if (!informational && queue.peek() instanceof Outcome.Proceed p) {
                responseHeaders.headers = res.headers();
                gatehouse.decorate(p, responseHeaders);
            }
        }
        if (!(msg instanceof LastHttpContent) || informational) {
            ctx.write(msg, promise);
            return;
        }
        ctx.write(msg, promise.unvoid().addListener(f -> deadline.responseSent()));
        queue.poll(); // the application's response is complete: answers of ours waiting behind it go out
        while (queue.peek() instanceof Response) {
            send((Response) queue.poll());
        }
    }

    /** Answers the current request: now, or after the application's responses to earlier pipelined ones. */
    private void answer(Response r) {
        report = null;
        discard = true;
        Response out = keepAlive ? r : r.closingConnection();
        if (queue.isEmpty()) {
            send(out);
        } else {
            queue.add(out);
        }
    }

    /** Writes an answer of Gatehouse's own, closing the connection when it says so or the client asked. */
    private void send(Response r) {
        var res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
                Unpooled.wrappedBuffer(r.bodyBuffer()));
        r.headers().forEach(res.headers()::set);
        if (r.status() != 204) {
            HttpUtil.setContentLength(res, r.bodyLength());
        }
        ctx.writeAndFlush(res).addListener(done -> deadline.responseSent())
                .addListener(r.closeConnection() ? ChannelFutureListener.CLOSE : ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, "closing the connection from {0}: {1}", peer, cause.getClass().getName()); // no message: it may hold request bytes
        ctx.close();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        deadline.stop(); // also when the channel closes: Netty removes every handler then
    }

    /** A request's view over its Netty headers, without lists for headers that come once. */
    @SuppressWarnings("NullAway.Init") // of() sets every field before Gatehouse reads the view
    static final class View implements RequestView {
        HttpHeaders headers;
        private String method;
        private String path;
        private @Nullable String query;
        private @Nullable IpAddress peer;
        private boolean tls;

        View of(HttpRequest r, @Nullable IpAddress peer, boolean tls) {
            RequestTarget target = RequestTarget.parse(r.uri());
            headers = r.headers();
            method = r.method().name();
            path = target.path();
            query = target.query();
            this.peer = peer;
            this.tls = tls;
            return this;
        }

        @Override public String method() { return method; }
        @Override public String path() { return path; }
        @Override public @Nullable String query() { return query; }
        @Override public @Nullable String host() { return headers.get(HttpHeaderNames.HOST); }
        @Override public @Nullable IpAddress peer() { return peer; }
        @Override public boolean tls() { return tls; }
        @Override public List<String> values(String name) { return headers.contains(name) ? headers.getAll(name) : List.of(); }
        @Override public @Nullable String first(String name) { return headers.get(name); }

        @Override
        public @Nullable String only(String name) {
            Iterator<? extends CharSequence> it = headers.valueCharSequenceIterator(name);
            if (!it.hasNext()) {
                return null;
            }
            CharSequence v = it.next();
            return it.hasNext() ? null : v.toString();
        }
    }

    /** A response's Netty headers as Gatehouse decorates them. */
    @SuppressWarnings("NullAway.Init") // set before each decoration
    static final class Headers implements ResponseHeaders {
        HttpHeaders headers;

        @Override public List<String> values(String name) { return headers.contains(name) ? headers.getAll(name) : List.of(); }
        @Override public boolean contains(String name) { return headers.contains(name); }
        @Override public void set(String name, String value) { headers.set(name, value); }
        @Override public void add(String name, String value) { headers.add(name, value); }

        @Override
        public void set(String name, List<String> values) {
            headers.set(name, values);
        }
    }

    /**
     * Netty's decoder reads a request with both {@code Content-Length} and {@code Transfer-Encoding}
     * as chunked after removing {@code Content-Length}; Gatehouse refuses it (as Tomcat closes it):
     * headers that remember that removal tell.
     */
    private static final class StrictFraming extends DefaultHttpHeaders {
        private static final HttpHeadersFactory FACTORY = new HttpHeadersFactory() {
            @Override public HttpHeaders newHeaders() { return new StrictFraming(); }
            @Override public HttpHeaders newEmptyHeaders() { return DefaultHttpHeadersFactory.headersFactory().newEmptyHeaders(); }
        };
        private boolean contentLengthDropped;

        static boolean conflict(HttpObject msg) {
            return msg instanceof HttpRequest r && r.headers() instanceof StrictFraming h && h.contentLengthDropped;
        }

        @Override
        public HttpHeaders remove(CharSequence name) {
            contentLengthDropped |= HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name)
                    && contains(HttpHeaderNames.TRANSFER_ENCODING);
            return super.remove(name);
        }
    }
}
