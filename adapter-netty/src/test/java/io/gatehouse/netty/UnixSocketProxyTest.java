package io.gatehouse.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.Gatehouse;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.conformance.AdapterConformanceTest;
import io.gatehouse.conformance.RawHttp;
import io.gatehouse.csp.sink.CspEventSink;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reverse proxy connected over a Unix domain socket (nginx's {@code set_real_ip_from unix:}): the
 * peer has no IP, and only {@code TRUSTED_PROXIES=unix:} makes its forwarded headers count. A real
 * domain-socket server (Netty's NIO transport) and a real client socket.
 */
@Timeout(30)
class UnixSocketProxyTest {
    @TempDir
    Path dir;

    private static final String REQUEST = "GET /whoami HTTP/1.1\r\nHost: app.example\r\nX-Forwarded-For: 6.6.6.6, 203.0.113.7\r\n"
            + "X-Forwarded-Proto: https\r\nConnection: close\r\n\r\n";

    /** Serves Gatehouse on a domain socket with {@code env}; returns the reply to {@link #REQUEST}. */
    private RawHttp.Reply exchange(Map<String, String> env) throws Exception {
        Map<String, String> e = new HashMap<>(env);
        e.put("TEST", "1");
        e.put("IS_BEHIND_PROXY", "1");
        e.put("ALLOWED_IP_BLOCKS", "203.0.113.0/24");
        Gatehouse g = Gatehouse.builder(GatehouseConfig.fromEnvironment(e), CspEventSink.consuming(events -> { })).build();
        Path socket = dir.resolve("gatehouse-" + System.nanoTime() + ".sock");
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel server = new ServerBootstrap().group(group).channel(NioServerDomainSocketChannel.class)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel c) {
                            c.pipeline().addLast(GatehouseHandler.codec(), new GatehouseHandler(g), new HttpObjectAggregator(1 << 16),
                                    new NettyConformanceTest.AppHandler(new AdapterConformanceTest.App()));
                        }
                    })
                    .bind(UnixDomainSocketAddress.of(socket)).sync().channel();
            try (SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                client.connect(UnixDomainSocketAddress.of(socket));
                client.write(ByteBuffer.wrap(REQUEST.getBytes(StandardCharsets.US_ASCII)));
                return RawHttp.read(Channels.newInputStream(client), false);
            } finally {
                server.close().sync();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void aProxyOnAUnixSocketIsTrustedWhenListed() throws Exception {
        RawHttp.Reply r = exchange(Map.of("TRUSTED_PROXIES", "unix:"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).as("the right-most untrusted hop, and the proxy's scheme").isEqualTo("203.0.113.7 https");
    }

    @Test
    void aProxyOnAUnixSocketIsNotTrustedOtherwise() throws Exception {
        assertThat(exchange(Map.of("TRUSTED_PROXIES", "10.0.0.0/8")).status()).as("unresolved client: denied").isEqualTo(403);
        assertThat(exchange(Map.of()).status()).isEqualTo(403);
    }
}
