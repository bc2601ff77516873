package io.gatehouse.benchmarks.load;

import io.gatehouse.config.Gatehouse;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.csp.CspCounters;
import io.gatehouse.csp.sink.AsyncSink;
import io.gatehouse.csp.sink.JsonLinesSink;
import io.gatehouse.netty.GatehouseHandler;
import io.gatehouse.servlet.GatehouseFilter;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
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
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * The servers of the end-to-end load test: {@code netty-gatehouse}, {@code netty-bare},
 * {@code tomcat-gatehouse}, {@code tomcat-bare}, and {@code tomcat-vt-gatehouse},
 * {@code tomcat-vt-bare}: Tomcat running each request on a virtual thread (JDK 21 or later). The bare ones answer {@code /report/} with 204
 * and {@code /whoami} with the peer, doing no Gatehouse work). Events go to a JSON-lines file; a
 * SIGTERM flushes it and prints the counters.
 * {@code java -cp benchmarks.jar io.gatehouse.benchmarks.load.LoadServers <kind> <port> <events-file>}
 */
public final class LoadServers {
    private LoadServers() {
    }

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        int port = Integer.parseInt(args[1]);
        Path events = Path.of(args[2]);
        CspCounters counters = new CspCounters();
        AsyncSink sink = AsyncSink.of(JsonLinesSink.appendingTo(events), 100_000);
        Gatehouse gatehouse = Gatehouse.builder(GatehouseConfig.fromEnvironment(Map.of("TEST", "1")), sink)
                .counters(counters).build();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sink.close();
            System.err.println(kind + " stopped: " + counters.snapshot());
        }));
        if (kind.startsWith("netty")) {
            netty(kind.endsWith("gatehouse") ? gatehouse : null, port);
        } else {
            tomcat(kind.endsWith("gatehouse") ? gatehouse : null, port, kind.startsWith("tomcat-vt"));
        }
    }

    static void netty(Gatehouse gatehouse, int port) throws InterruptedException {
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (gatehouse != null) {
                            ch.pipeline().addLast(GatehouseHandler.codec(), new GatehouseHandler(gatehouse));
                        } else {
                            ch.pipeline().addLast(new HttpServerCodec());
                        }
                        ch.pipeline().addLast(new HttpObjectAggregator(1 << 20), new App());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", port)).sync();
        System.err.println("listening on " + port);
    }

    /** The application: {@code /whoami} and, for the bare server, a {@code /report/} that only answers 204. */
    static final class App extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            String path = req.uri().split("\\?", 2)[0];
            FullHttpResponse res;
            if (path.startsWith("/report")) {
                res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
            } else {
                String ip = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress().getHostAddress();
                var gate = GatehouseHandler.request(ctx.channel());
                if (gate != null) {
                    ip = gate.client().resolvedAddress().map(Object::toString).orElse("unresolved");
                }
                res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.copiedBuffer("{\"client_ip\":\"" + ip + "\"}", StandardCharsets.UTF_8));
                res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
                res.headers().add(HttpHeaderNames.SET_COOKIE, "sessionid=load; Path=/; HttpOnly");
                HttpUtil.setContentLength(res, res.content().readableBytes());
            }
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            HttpUtil.setKeepAlive(res, keepAlive);
            var f = ctx.writeAndFlush(res);
            if (!keepAlive) {
                f.addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    static void tomcat(Gatehouse gatehouse, int port, boolean virtualThreads) throws Exception {
        Path base = Files.createTempDirectory("gatehouse-load");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector connector = new Connector();
        connector.setPort(port);
        connector.setProperty("address", "127.0.0.1");
        connector.setProperty("maxKeepAliveRequests", "-1");
        if (virtualThreads && !connector.setProperty("useVirtualThreads", "true")) {
            throw new IllegalStateException("this Tomcat has no useVirtualThreads (JDK 21 or later is needed)");
        }
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        Context ctx = tomcat.addContext("", base.toString());
        // Async-supported, as the README registers the servlet and GatehouseFilter.register the filter:
        // the filter then reads report bodies without holding a thread while they trickle in.
        Wrapper app = Tomcat.addServlet(ctx, "app", new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                if (req.getRequestURI().startsWith("/report")) {
                    req.getInputStream().readAllBytes();
                    resp.setStatus(204);
                    return;
                }
                resp.setContentType("application/json");
                resp.addHeader("Set-Cookie", "sessionid=load; Path=/; HttpOnly");
                resp.getWriter().write("{\"client_ip\":\"" + req.getRemoteAddr() + "\"}");
            }
        });
        app.setAsyncSupported(true);
        ctx.addServletMapping("/", "app");
        if (gatehouse != null) {
            FilterDef def = new FilterDef();
            def.setFilterName("gatehouse");
            def.setFilter(new GatehouseFilter(gatehouse));
            def.setAsyncSupported("true");
            ctx.addFilterDef(def);
            FilterMap map = new FilterMap();
            map.setFilterName("gatehouse");
            map.addURLPattern("/*");
            ctx.addFilterMap(map);
        }
        tomcat.start();
        System.err.println("listening on " + port);
    }
}
