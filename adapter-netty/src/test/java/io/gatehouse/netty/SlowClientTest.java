package io.gatehouse.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.Gatehouse;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.csp.sink.CspEvent;
import io.gatehouse.csp.sink.CspEventSink;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Slow clients over loopback: a request trickling in byte by byte is cut off at the deadline. */
@Timeout(30)
class SlowClientTest {
    private EventLoopGroup group;
    private Channel server;
    private int port;
    private final List<CspEvent> events = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() throws Exception {
        Gatehouse g = Gatehouse.builder(GatehouseConfig.fromEnvironment(Map.of("TEST", "1",
                "GATEHOUSE_READ_TIMEOUT_SECONDS", "1")), CspEventSink.consuming(events::addAll)).build();
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        c.pipeline().addLast(GatehouseHandler.codec(), new GatehouseHandler(g),
                                new HttpObjectAggregator(1 << 16), new NettyConformanceTest.AppHandler(new io.gatehouse.conformance.AdapterConformanceTest.App()));
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        port = ((InetSocketAddress) server.localAddress()).getPort();
    }

    @AfterEach
    void stop() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /**
     * Sends {@code text} one byte every 150 ms until the server hangs up; returns the seconds from
     * connecting until the connection reached end of stream (seen by a reader blocked on it).
     */
    private double trickle(String text) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            long start = System.nanoTime();
            CompletableFuture<Long> closedAt = CompletableFuture.supplyAsync(() -> {
                try (InputStream in = s.getInputStream()) {
                    while (in.read() != -1) {
                        // drain whatever the server answers before it closes
                    }
                } catch (IOException reset) {
                    // a reset is a close too
                }
                return System.nanoTime();
            });
            OutputStream out = s.getOutputStream();
            for (byte b : text.getBytes(StandardCharsets.US_ASCII)) {
                if (closedAt.isDone()) {
                    break;
                }
                try {
                    out.write(b);
                    out.flush();
                } catch (IOException closed) {
                    break;
                }
                Thread.sleep(150); // the client under test is slow on purpose
            }
            return (closedAt.get(10, TimeUnit.SECONDS) - start) / 1e9;
        }
    }

    @Test
    void trickledHeadersAreCutOffAtTheDeadline() throws Exception {
        double seconds = trickle("GET /app HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + "x".repeat(60) + "\r\n\r\n");
        assertThat(seconds).isBetween(0.9, 3.0);
    }

    @Test
    void trickledReportBodyIsCutOffAndNothingIsAccepted() throws Exception {
        String body = "{\"csp-report\": {\"document-uri\": \"https://a.example/\"}}";
        double seconds = trickle("POST /report/?token=t HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/csp-report\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body);
        assertThat(seconds).isBetween(0.9, 3.0);
        assertThat(events).isEmpty();
    }

    @Test
    void aSlowSecondRequestOnAKeptAliveConnectionIsCutOffToo() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5_000);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            out.write("GET /_health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] buf = new byte[512];
            int n = in.read(buf);
            assertThat(new String(buf, 0, n, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
            long answered = System.nanoTime();
            Thread.sleep(400); // idle within the deadline, then a request that never completes in time
            long closed = -1;
            for (byte b : "GET /app HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: 0123456789\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII)) {
                try {
                    out.write(b);
                    out.flush();
                } catch (IOException reset) {
                    break;
                }
                s.setSoTimeout(150);
                try {
                    if (in.read() == -1) {
                        closed = System.nanoTime();
                        break;
                    }
                } catch (java.net.SocketTimeoutException stillOpen) {
                    // the server is still waiting for the rest
                } catch (IOException reset) {
                    closed = System.nanoTime();
                    break;
                }
            }
            assertThat(closed).as("the connection was closed before the request completed").isPositive();
            assertThat((closed - answered) / 1e9).isBetween(0.9, 3.0);
        }
    }

    @Test
    void anUpgradedConnectionIsNoLongerTimedAsHttp() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.getOutputStream().write("GET /upgrade HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.setSoTimeout(5_000);
            assertThat(io.gatehouse.conformance.RawHttp.read(s.getInputStream(), false).status()).isEqualTo(101);
            s.setSoTimeout(2_500); // more than twice the 1 s deadline
            assertThat(io.gatehouse.conformance.RawHttp.closedByServer(s)).as("a WebSocket, say, stays open").isFalse();
        }
    }

    @Test
    void aPromptRequestOnAKeptAliveConnectionIsServed() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5_000);
            for (int i = 0; i < 3; i++) {
                s.getOutputStream().write("GET /_health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                byte[] buf = new byte[512];
                int n = s.getInputStream().read(buf);
                assertThat(new String(buf, 0, n, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200").endsWith("ok");
                Thread.sleep(600); // idle, but within the deadline, between requests
            }
        }
    }
}
