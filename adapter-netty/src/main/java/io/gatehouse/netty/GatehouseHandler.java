package io.gatehouse.netty;

import io.gatehouse.config.Gatehouse;
import io.gatehouse.csp.CspReportEndpoint;
import io.gatehouse.csp.CspResponse;
import io.gatehouse.ip.IpAddress;
import io.gatehouse.proxy.ClientIp;
import io.gatehouse.proxy.HeaderLookup;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Gatehouse for a Netty 4.2 HTTP pipeline. Put it right after the {@code HttpServerCodec} (and
 * before any aggregator); put a {@link RequestTimeoutHandler} between the two to cut off slow clients.
 * For each request it resolves the client, answers 403 / redirects / the CSP endpoint itself, or
 * passes the request on with the client in {@link #CLIENT_IP}; on the way out it rewrites
 * {@code Set-Cookie} and adds the CSP headers. Report bodies are read with the size limit enforced
 * as bytes arrive. Sharable: one instance serves every channel.
 */
@ChannelHandler.Sharable
public final class GatehouseHandler extends ChannelDuplexHandler {
    /** The resolved client of the channel's current request. */
    public static final AttributeKey<ClientIp> CLIENT_IP = AttributeKey.valueOf(Gatehouse.CLIENT_IP_ATTRIBUTE);
    /** Whether the channel's current request reached the client over https. */
    public static final AttributeKey<Boolean> HTTPS = AttributeKey.valueOf("io.gatehouse.https");

    private static final AttributeKey<State> STATE = AttributeKey.valueOf("io.gatehouse.netty.state");

    private final Gatehouse gatehouse;
    private final CspReportEndpoint endpoint;

    /** A handler applying {@code gatehouse}. */
    public GatehouseHandler(Gatehouse gatehouse) {
        this.gatehouse = Objects.requireNonNull(gatehouse, "gatehouse");
        this.endpoint = gatehouse.cspEndpoint();
    }

    /** The client of the channel's current request (set before later handlers see it). */
    public static ClientIp clientIp(Channel channel) {
        return channel.attr(CLIENT_IP).get();
    }

    /** Whether the channel's current request reached the client over https. */
    public static boolean isHttps(Channel channel) {
        return Boolean.TRUE.equals(channel.attr(HTTPS).get());
    }

    private enum Mode { PASS, DISCARD, REPORT }

    /** Per-channel state: what to do with the rest of the current request. */
    private static final class State {
        IpAddress peer;
        boolean peerKnown;
        /** Whether the channel has TLS (looked up once: a pipeline lookup per request costs). */
        Boolean secure;
        Mode mode = Mode.PASS;
        boolean https;
        boolean keepAlive;
        ByteBuf body;
        String query;
        HeaderLookup headers;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        State st = state(ctx);
        if (msg instanceof HttpRequest req) {
            if (onRequest(ctx, st, req)) {
                ctx.fireChannelRead(msg);
                return;
            }
            if (!(msg instanceof HttpContent)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            // A full request (an aggregator runs before this handler): its content is handled below.
        }
        if (!(msg instanceof HttpContent content)) {
            ctx.fireChannelRead(msg);
            return;
        }
        switch (st.mode) {
            case PASS -> ctx.fireChannelRead(msg);
            case DISCARD -> {
                ReferenceCountUtil.release(msg);
                if (msg instanceof LastHttpContent) {
                    st.mode = Mode.PASS;
                }
            }
            case REPORT -> onReportContent(ctx, st, content);
        }
    }

    /**
     * Decides for a request; true when it goes on to the application. Otherwise the mode says what
     * happens to its content, up to and including its {@code LastHttpContent}.
     */
    private boolean onRequest(ChannelHandlerContext ctx, State st, HttpRequest req) {
        HttpHeaders h = req.headers();
        HeaderLookup headers = h::getAll;
        String uri = req.uri();
        if (uri.startsWith("http://") || uri.startsWith("https://")) {
            int slash = uri.indexOf('/', uri.indexOf("://") + 3);
            uri = slash < 0 ? "/" : uri.substring(slash);
        }
        int hash = uri.indexOf('#');
        if (hash >= 0) {
            uri = uri.substring(0, hash);
        }
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        String query = q < 0 ? null : uri.substring(q + 1);
        if (st.secure == null) {
            st.secure = ctx.pipeline().get(SslHandler.class) != null;
        }
        boolean secure = st.secure;
        Gatehouse.Decision d = gatehouse.onRequest(peer(ctx, st), headers, req.method().name(), path,
                h.get(HttpHeaderNames.HOST), query, secure);
        ctx.channel().attr(CLIENT_IP).set(d.client());
        ctx.channel().attr(HTTPS).set(d.https());
        st.https = d.https();
        st.keepAlive = HttpUtil.isKeepAlive(req);
        boolean bodyFollows = !(req instanceof LastHttpContent)
                && (HttpUtil.isTransferEncodingChunked(req) || HttpUtil.getContentLength(req, 0L) > 0);
        if (d instanceof Gatehouse.Respond r) {
            st.mode = Mode.DISCARD;
            respond(ctx, st, r.status(), r.headers(), r.body(), bodyFollows);
        } else if (d instanceof Gatehouse.ReportEndpoint) {
            var early = endpoint.beforeBody(req.method().name(), query, h.get(HttpHeaderNames.CONTENT_TYPE), headers);
            if (early.isPresent() || endpoint.declaredTooLarge(headers)) {
                st.mode = Mode.DISCARD;
                CspResponse r = early.orElseGet(() -> endpoint.tooLarge(headers));
                respond(ctx, st, r.status(), r.headers(), r.body(), bodyFollows);
            } else {
                st.mode = Mode.REPORT;
                st.query = query;
                st.headers = headers;
            }
        } else {
            st.mode = Mode.PASS;
            return true;
        }
        return false;
    }

    private void onReportContent(ChannelHandlerContext ctx, State st, HttpContent content) {
        byte[] whole = null;
        try {
            ByteBuf chunk = content.content();
            long buffered = st.body == null ? 0 : st.body.readableBytes();
            if (buffered + chunk.readableBytes() > endpoint.maxBodyBytes()) {
                releaseBody(st);
                st.mode = Mode.DISCARD;
                CspResponse r = endpoint.tooLarge(st.headers);
                respond(ctx, st, r.status(), r.headers(), r.body(), !(content instanceof LastHttpContent));
                if (content instanceof LastHttpContent) {
                    st.mode = Mode.PASS;
                }
                return;
            }
            if (st.body == null && content instanceof LastHttpContent) {
                // The whole body in one piece (the usual case for a report): copy it once.
                whole = ByteBufUtil.getBytes(chunk);
            } else {
                if (st.body == null) {
                    st.body = ctx.alloc().heapBuffer(Math.min(endpoint.maxBodyBytes(), 8192));
                }
                st.body.writeBytes(chunk);
            }
        } finally {
            ReferenceCountUtil.release(content);
        }
        if (content instanceof LastHttpContent) {
            byte[] bytes = whole;
            if (bytes == null) {
                bytes = ByteBufUtil.getBytes(st.body);
                releaseBody(st);
            }
            st.mode = Mode.PASS;
            CspResponse r = endpoint.handleBody(st.query, st.headers, bytes, bytes.length);
            respond(ctx, st, r.status(), r.headers(), r.body(), false);
        }
    }

    /**
     * Writes an answer of Gatehouse's own. When the request body has not been read
     * ({@code bodyPending}), the connection is closed after the answer rather than reading it all.
     */
    private static void respond(ChannelHandlerContext ctx, State st, int status, Map<String, String> headers, byte[] body,
                                boolean bodyPending) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                body.length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        headers.forEach(res.headers()::set);
        if (status != 204) {
            HttpUtil.setContentLength(res, body.length);
        }
        boolean close = bodyPending || !st.keepAlive;
        if (close) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        var f = ctx.writeAndFlush(res);
        if (close) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse res) {
            HttpHeaders h = res.headers();
            List<String> cookies = h.getAll(HttpHeaderNames.SET_COOKIE);
            if (!cookies.isEmpty()) {
                List<String> rewritten = new ArrayList<>(cookies.size());
                for (String c : cookies) {
                    rewritten.add(gatehouse.rewriteSetCookie(c));
                }
                h.set(HttpHeaderNames.SET_COOKIE, rewritten);
            }
            gatehouse.cspHeaders(state(ctx).https, (name, value) -> {
                if (!h.contains(name)) {
                    h.set(name, value);
                }
            });
        }
        ctx.write(msg, promise);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof ReadTimeoutException) {
            releaseBody(state(ctx));
            ctx.close();
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseBody(state(ctx));
        ctx.fireChannelInactive();
    }

    private static void releaseBody(State st) {
        if (st.body != null) {
            st.body.release();
            st.body = null;
        }
    }

    private static State state(ChannelHandlerContext ctx) {
        State st = ctx.channel().attr(STATE).get();
        if (st == null) {
            st = new State();
            ctx.channel().attr(STATE).set(st);
        }
        return st;
    }

    private static IpAddress peer(ChannelHandlerContext ctx, State st) {
        if (!st.peerKnown) {
            st.peerKnown = true;
            if (ctx.channel().remoteAddress() instanceof InetSocketAddress isa && isa.getAddress() != null) {
                st.peer = IpAddress.ofBytes(isa.getAddress().getAddress());
            }
        }
        return st.peer;
    }

    @Override
    public String toString() {
        return "GatehouseHandler{" + gatehouse + "}";
    }
}
