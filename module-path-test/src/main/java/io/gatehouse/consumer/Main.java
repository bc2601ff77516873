package io.gatehouse.consumer;

import io.gatehouse.config.Gatehouse;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.csp.sink.JsonLinesSink;
import io.gatehouse.netty.GatehouseHandler;
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
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Starts a Netty server with Gatehouse on 127.0.0.1:0, posts one CSP report and fetches one page
 * through it with the JDK's client, and prints what came back. Exits 0 only when both behaved.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        StringWriter events = new StringWriter();
        Gatehouse gatehouse = Gatehouse.builder(GatehouseConfig.fromEnvironment(Map.of("TEST", "1")),
                JsonLinesSink.to(events)).build();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(GatehouseHandler.codec(), new GatehouseHandler(gatehouse),
                                    new HttpObjectAggregator(1 << 16), new App());
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> report = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/report/?token=phc_module"))
                    .header("Content-Type", "application/csp-report")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"csp-report\":{\"document-uri\":\"https://example.com/\","
                            + "\"violated-directive\":\"script-src\",\"blocked-uri\":\"inline\"}}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            server.close().sync();
            Module core = Gatehouse.class.getModule();
            System.out.println("module " + core.getName() + " named=" + core.isNamed()
                    + " exportsInternal=" + core.isExported("io.gatehouse.internal"));
            System.out.println("report " + report.statusCode());
            System.out.println("page " + page.statusCode() + " " + page.body());
            System.out.println("event " + events.toString().strip());
            boolean ok = core.isNamed() && report.statusCode() == 204 && page.statusCode() == 200
                    && events.toString().contains("\"event\":\"$csp_violation\"");
            System.exit(ok ? 0 : 1);
        } finally {
            group.shutdownGracefully();
        }
    }

    /** The application: one page. */
    static final class App extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            DefaultFullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer("hello from the module path", StandardCharsets.UTF_8));
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
            ctx.writeAndFlush(res);
        }
    }
}
