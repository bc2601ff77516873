package io.gatehouse.netty;

import io.gatehouse.config.Gatehouse;
import io.gatehouse.conformance.AdapterConformanceTest;
import io.gatehouse.config.Outcome;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/** The conformance kit against a real Netty server on 127.0.0.1:0. */
class NettyConformanceTest extends AdapterConformanceTest {

    @Override
    protected Server start(Gatehouse gatehouse, App app, Listen listen) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        SslContext ssl = listen.tls() == null ? null : SslContextBuilder.forServer(listen.tls().keyManagers()).build();
        Channel ch = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        if (ssl != null) {
                            c.pipeline().addLast(ssl.newHandler(c.alloc()));
                        }
                        c.pipeline().addLast(GatehouseHandler.codec(), new GatehouseHandler(gatehouse),
                                new HttpObjectAggregator(1 << 16), new AppHandler(app));
                    }
                })
                .bind(new InetSocketAddress(listen.address(), 0)).sync().channel();
        int port = ((InetSocketAddress) ch.localAddress()).getPort();
        return new Server() {
            @Override
            public URI base() {
                return listen.base(port);
            }

            @Override
            public void close() {
                ch.close().syncUninterruptibly();
                group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
            }
        };
    }

    /** The conformance application, in plain Netty. */
    static final class AppHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final App app;

        AppHandler(App app) {
            this.app = app;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            String path = req.uri().split("\\?", 2)[0];
            Outcome.Proceed p = GatehouseHandler.request(ctx.channel());
            FullHttpResponse res;
            switch (path) {
                case "/app" -> {
                    app.sideEffects.incrementAndGet();
                    res = text(HttpResponseStatus.OK, "app");
                }
                case "/whoami" -> {
                    res = text(HttpResponseStatus.OK, whoami(p));
                }
                case "/cookies" -> {
                    res = text(HttpResponseStatus.OK, "cookies");
                    DefaultCookie session = new DefaultCookie("sessionid", "abc");
                    session.setPath("/");
                    res.headers().add(HttpHeaderNames.SET_COOKIE, ServerCookieEncoder.STRICT.encode(session));
                    res.headers().add(HttpHeaderNames.SET_COOKIE, "theme=dark");
                }
                case "/_health" -> res = text(HttpResponseStatus.OK, "ok");
                case "/slow" -> {
                    boolean keepAlive = HttpUtil.isKeepAlive(req);
                    ctx.executor().schedule(() -> {
                        FullHttpResponse slow = text(HttpResponseStatus.OK, "slow");
                        HttpUtil.setKeepAlive(slow, keepAlive);
                        ctx.writeAndFlush(slow);
                    }, 200, java.util.concurrent.TimeUnit.MILLISECONDS);
                    return;
                }
                case "/upgrade" -> {
                    res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
                    res.headers().set(HttpHeaderNames.CONNECTION, "Upgrade").set(HttpHeaderNames.UPGRADE, "conformance");
                    ctx.writeAndFlush(res);
                    return;
                }
                case "/cookie/header" -> {
                    res = text(HttpResponseStatus.OK, "cookies");
                    res.headers().add(HttpHeaderNames.SET_COOKIE, "gone=0");
                    res.headers().set(HttpHeaderNames.SET_COOKIE, "s=1");
                    res.headers().add(HttpHeaderNames.SET_COOKIE, "h=2; Path=/");
                }
                case "/cookie/after-write" -> res = cookies(text(HttpResponseStatus.OK, "body more"), "w", "v");
                case "/cookie/redirect/plain", "/cookie/redirect/keep-buffer", "/cookie/redirect/301", "/cookie/redirect/303",
                     "/cookie/redirect/relative" -> {
                    String form = path.substring("/cookie/redirect/".length());
                    int status = switch (form) {
                        case "301" -> 301;
                        case "303" -> 303;
                        default -> 302;
                    };
                    res = cookies(text(HttpResponseStatus.valueOf(status), ""), "r", "q");
                    String local = ((InetSocketAddress) ctx.channel().localAddress()).getAddress().getHostAddress();
                    res.headers().set(HttpHeaderNames.LOCATION, p.location(form.equals("relative") ? "app?x=1" : "/app", local, path));
                }
                case "/cookie/error" -> res = cookies(text(HttpResponseStatus.CONFLICT, "conflict"), "e", "f");
                case "/async", "/async-args" -> {
                    // Netty's asynchronous processing: the answer is written from another thread.
                    String body = whoami(p);
                    boolean keepAlive = HttpUtil.isKeepAlive(req);
                    CompletableFuture.runAsync(() -> send(ctx, keepAlive, cookies(text(HttpResponseStatus.OK, body), "y", "z")));
                    return;
                }
                case "/session" -> res = session(text(HttpResponseStatus.OK, "session"));
                case "/session/change" -> {
                    String cookie = req.headers().get(HttpHeaderNames.COOKIE, "");
                    res = cookie.contains("JSESSIONID=") ? session(text(HttpResponseStatus.OK, "changed"))
                            : text(HttpResponseStatus.BAD_REQUEST, "no session");
                }
                case "/request" -> {
                    InetSocketAddress peer = (InetSocketAddress) ctx.channel().remoteAddress();
                    InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
                    String addr = p.clientAddress() != null ? p.clientAddress() : peer.getAddress().getHostAddress();
                    String name = p.host() != null ? p.host() : local.getAddress().getHostAddress();
                    res = text(HttpResponseStatus.OK, "secure=" + p.https() + " scheme=" + p.scheme() + " name=" + name
                            + " port=" + p.port() + " url=" + p.url(name, path) + " addr=" + addr + " host=" + addr
                            + " remotePort=" + peer.getPort());
                }
                default -> res = text(HttpResponseStatus.NOT_FOUND, "not found");
            }
            send(ctx, HttpUtil.isKeepAlive(req), res);
        }

        private static String whoami(Outcome.Proceed p) {
            return p.client().resolvedAddress().map(Object::toString).orElse("unresolved") + " " + p.scheme();
        }

        /** {@code res} with framework cookie {@code <framework>=1} (Netty's encoder) and raw {@code <raw>=2}. */
        private static FullHttpResponse cookies(FullHttpResponse res, String framework, String raw) {
            res.headers().add(HttpHeaderNames.SET_COOKIE, ServerCookieEncoder.STRICT.encode(new DefaultCookie(framework, "1")));
            res.headers().add(HttpHeaderNames.SET_COOKIE, raw + "=2");
            return res;
        }

        /** {@code res} with a new session cookie, as a servlet container makes one. */
        private static FullHttpResponse session(FullHttpResponse res) {
            DefaultCookie session = new DefaultCookie("JSESSIONID", java.util.UUID.randomUUID().toString().replace("-", ""));
            session.setPath("/");
            session.setHttpOnly(true);
            res.headers().add(HttpHeaderNames.SET_COOKIE, ServerCookieEncoder.STRICT.encode(session));
            return res;
        }

        private static void send(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse res) {
            HttpUtil.setKeepAlive(res, keepAlive);
            var f = ctx.writeAndFlush(res);
            if (!keepAlive) {
                f.addListener(io.netty.channel.ChannelFutureListener.CLOSE);
            }
        }

        private static FullHttpResponse text(HttpResponseStatus status, String body) {
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            HttpUtil.setContentLength(r, r.content().readableBytes());
            return r;
        }
    }
}
