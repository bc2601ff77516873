package io.gatehouse.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.Gatehouse;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.csp.CspCounters;
import io.gatehouse.csp.JsonLinesSink;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** 2,000 connections open at once, each posting a report: every 204 is an event written, memory stays bounded. */
@Timeout(120)
class FloodTest {
    static final int CONNECTIONS = 2000;

    @Test
    void twoThousandConcurrentReportersLoseNothing(@TempDir Path dir) throws Exception {
        Path eventsFile = dir.resolve("events.jsonl");
        CspCounters counters = new CspCounters();
        JsonLinesSink sink = JsonLinesSink.appendingTo(eventsFile, counters);
        Gatehouse g = Gatehouse.builder(GatehouseConfig.fromEnvironment(Map.of("TEST", "1")), sink).counters(counters).build();
        GatehouseHandler gate = new GatehouseHandler(g);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        c.pipeline().addLast(new HttpServerCodec(), new RequestTimeoutHandler(Duration.ofSeconds(60)), gate,
                                new HttpObjectAggregator(1 << 16),
                                new NettyConformanceTest.AppHandler(new io.gatehouse.conformance.AdapterConformanceTest.App()));
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        int accepted;
        try {
            accepted = io.gatehouse.conformance.AdapterConformanceTest.floodWithBoundedHeap("netty", port, CONNECTIONS);
        } finally {
            server.close().syncUninterruptibly();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            sink.close();
        }
        assertThat(accepted).isEqualTo(CONNECTIONS);
        assertThat(Files.readAllLines(eventsFile)).hasSize(accepted);
        assertThat(counters.eventsAccepted()).isEqualTo(accepted);
        assertThat(counters.eventsDelivered()).isEqualTo(accepted);
    }
}
