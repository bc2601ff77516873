package io.gatehouse.examples;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.gatehouse.config.ConfigException;
import io.gatehouse.config.Gatehouse;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.csp.header.ContentSecurityPolicy;
import io.gatehouse.csp.sink.AsyncSink;
import io.gatehouse.csp.sink.CspEventSink;
import io.gatehouse.csp.sink.JsonLinesSink;
import io.gatehouse.csp.sink.PostHogForwarder;
import io.gatehouse.ip.IpAddress;
import io.gatehouse.ip.IpParseException;
import io.gatehouse.kafka.KafkaSink;
import io.gatehouse.netty.GatehouseHandler;
import io.gatehouse.proxy.ClientIp;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
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
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.InputStream;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;

/**
 * The Gatehouse demo server (SPEC section 8): every control working in front of a tiny app on the
 * Netty adapter. Configured from the environment; a configuration error exits 2 before listening,
 * listing every problem; {@code SIGTERM} flushes accepted events and exits 0. Events go to a Kafka
 * topic when any {@code GATEHOUSE_KAFKA_*} variable is set ({@link KafkaSink#fromEnvironment}), to
 * PostHog when {@code POSTHOG_HOST} is, else as JSON lines to {@code GATEHOUSE_CSP_EVENTS_FILE} or
 * standard output.
 */
public final class DemoServer {
    private DemoServer() {
    }

    /** The demo's own settings, read with the Gatehouse configuration. */
    record Settings(GatehouseConfig config, InetAddress bind, int port, Path eventsFile, URI posthogHost,
                    String token, SslContext ssl, KafkaSink kafka) {
    }

    /** Kafka's client logs through java.util.logging here: warnings and errors only (no config dumps). */
    private static final java.util.logging.Logger KAFKA_LOG = java.util.logging.Logger.getLogger("org.apache.kafka");

    public static void main(String[] args) throws Exception {
        KAFKA_LOG.setLevel(java.util.logging.Level.WARNING);
        Settings s;
        try {
            s = settings(System.getenv());
        } catch (ConfigException e) {
            System.err.println("gatehouse-demo: " + e.getMessage());
            System.exit(2);
            return;
        }
        run(s);
    }

    /** Reads every setting; throws one {@link ConfigException}-style error listing every problem. */
    static Settings settings(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        GatehouseConfig config = null;
        try {
            config = GatehouseConfig.fromEnvironment(env);
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
        int port = 8000;
        String p = env.get("PORT");
        if (p != null) {
            try {
                port = Integer.parseInt(p.strip());
                if (port < 0 || port > 65535) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                problems.add("PORT " + ConfigException.quote(p) + ": expected a port number from 0 to 65535");
            }
        }
        InetAddress bind = null;
        String b = env.getOrDefault("BIND_ADDRESS", "127.0.0.1");
        try {
            bind = InetAddress.getByAddress(IpAddress.parse(b.strip()).toBytes());
        } catch (IpParseException | java.net.UnknownHostException e) {
            problems.add("BIND_ADDRESS " + ConfigException.quote(b) + ": expected an IP address ("
                    + (e instanceof IpParseException ipe ? ipe.reason() + " at index " + ipe.index() : e.getMessage()) + ")");
        }
        URI posthog = null;
        String host = env.get("POSTHOG_HOST");
        if (host != null && !host.isBlank()) {
            try {
                posthog = URI.create(host.strip());
                PostHogForwarder.builder(posthog);
            } catch (IllegalArgumentException e) {
                problems.add("POSTHOG_HOST " + ConfigException.quote(host) + ": expected an http(s) URL such as https://us.i.posthog.com");
            }
        }
        String eventsFile = env.get("GATEHOUSE_CSP_EVENTS_FILE");
        Path events = eventsFile == null || eventsFile.isBlank() ? null : Path.of(eventsFile);
        String token = env.getOrDefault("GATEHOUSE_DEMO_TOKEN", "phc_demo");
        if (token.isBlank() || !token.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
            problems.add("GATEHOUSE_DEMO_TOKEN " + ConfigException.quote(token) + ": expected a non-empty token without spaces");
        }
        SslContext ssl = null;
        String keystore = env.get("GATEHOUSE_TLS_KEYSTORE");
        if (keystore != null && !keystore.isBlank()) {
            String password = env.getOrDefault("GATEHOUSE_TLS_KEYSTORE_PASSWORD", "");
            try (InputStream in = Files.newInputStream(Path.of(keystore))) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(in, password.toCharArray());
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, password.toCharArray());
                ssl = SslContextBuilder.forServer(kmf).build();
            } catch (Exception e) {
                problems.add("GATEHOUSE_TLS_KEYSTORE " + ConfigException.quote(keystore) + ": cannot be read as a PKCS#12 key store"
                        + " with GATEHOUSE_TLS_KEYSTORE_PASSWORD (" + e.getClass().getSimpleName() + ")");
            }
        }
        // Any GATEHOUSE_KAFKA_* variable means Kafka, so a misspelt bootstrap variable is reported, not ignored.
        KafkaSink kafka = null;
        if (env.keySet().stream().anyMatch(k -> k.startsWith("GATEHOUSE_KAFKA_"))) {
            if (posthog != null || events != null) {
                problems.add(KafkaSink.BOOTSTRAP_SERVERS_ENV + " and " + (posthog != null ? "POSTHOG_HOST" : "GATEHOUSE_CSP_EVENTS_FILE")
                        + " are both set: events go to one sink, choose one");
            } else {
                try {
                    kafka = KafkaSink.fromEnvironment(env);
                } catch (ConfigException e) {
                    problems.addAll(e.problems());
                }
            }
        }
        if (!problems.isEmpty()) {
            if (kafka != null) {
                kafka.close();
            }
            throw new ConfigException(problems);
        }
        return new Settings(config, bind, port, events, posthog, token, ssl, kafka);
    }

    static void run(Settings s) throws Exception {
        CspEventSink sink;
        if (s.kafka() != null) {
            // Records to a topic that any number of instances share; offers never block the event loop.
            sink = s.kafka();
        } else if (s.posthogHost() != null) {
            sink = PostHogForwarder.builder(s.posthogHost()).build();
        } else if (s.eventsFile() != null) {
            // Written and flushed in batches by one thread, off the event loop; a SIGTERM drains it.
            sink = AsyncSink.of(JsonLinesSink.appendingTo(s.eventsFile()), 100_000);
        } else {
            sink = AsyncSink.of(JsonLinesSink.stdout(), 100_000);
        }
        ContentSecurityPolicy csp = ContentSecurityPolicy.builder()
                .directive("default-src", "'self'")
                .directive("img-src", "'self'")
                .directive("script-src", "'self'")
                .reportOnly(true)
                .reportTo("/report/")
                .token(s.token())
                .version("1")
                .build();
        Gatehouse gatehouse = Gatehouse.builder(s.config(), sink).contentSecurityPolicy(csp).build();
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        java.util.concurrent.atomic.AtomicReference<Channel> listening = new java.util.concurrent.atomic.AtomicReference<>();
        // Registered before binding, so a SIGTERM at any moment the server listens is a graceful stop.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Channel ch = listening.get();
            if (ch != null) {
                ch.close().syncUninterruptibly();
            }
            // Requests in flight finish within the quiet period; accepted events are then flushed.
            workers.shutdownGracefully(100, 5_000, java.util.concurrent.TimeUnit.MILLISECONDS).syncUninterruptibly();
            boss.shutdownGracefully(0, 1_000, java.util.concurrent.TimeUnit.MILLISECONDS).syncUninterruptibly();
            sink.close();
            System.err.println("gatehouse-demo stopped: " + gatehouse.counters().snapshot());
            System.err.flush();
            // A graceful stop on SIGTERM is a success, not the JVM's default 143.
            Runtime.getRuntime().halt(0);
        }, "gatehouse-demo-shutdown"));
        Channel server = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (s.ssl() != null) {
                            ch.pipeline().addLast(s.ssl().newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(GatehouseHandler.codec(), new GatehouseHandler(gatehouse),
                                new HttpObjectAggregator(1 << 16), new DemoHandler());
                    }
                })
                .bind(new InetSocketAddress(s.bind(), s.port())).sync().channel();
        listening.set(server);
        InetSocketAddress bound = (InetSocketAddress) server.localAddress();
        System.err.println("gatehouse-demo listening on " + (s.ssl() != null ? "https" : "http") + "://"
                + hostPort(bound) + "/ (" + s.config() + ")");
        server.closeFuture().sync();
    }

    private static String hostPort(InetSocketAddress a) {
        String h = IpAddress.ofBytes(a.getAddress().getAddress()).toString();
        return (h.contains(":") ? "[" + h + "]" : h) + ":" + a.getPort();
    }

    /** The demo application behind Gatehouse. */
    static final class DemoHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private static final JsonFactory JSON = new JsonFactory();

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) throws Exception {
            String path = req.uri().split("\\?", 2)[0];
            boolean get = req.method().equals(HttpMethod.GET) || req.method().equals(HttpMethod.HEAD);
            boolean https = GatehouseHandler.request(ctx.channel()).https();
            FullHttpResponse res;
            if (get && path.equals("/")) {
                String host = req.headers().get(HttpHeaderNames.HOST, "127.0.0.1");
                int colon = host.lastIndexOf(':');
                String port = colon > host.lastIndexOf(']') && colon >= 0 ? host.substring(colon + 1) : (https ? "443" : "80");
                res = response(HttpResponseStatus.OK, "text/html; charset=utf-8", page(https, port));
            } else if (get && path.equals("/whoami")) {
                ClientIp c = GatehouseHandler.request(ctx.channel()).client();
                StringWriter w = new StringWriter();
                try (JsonGenerator g = JSON.createGenerator(w)) {
                    g.writeStartObject();
                    g.writeFieldName("client_ip");
                    if (c != null && c.resolvedAddress().isPresent()) {
                        g.writeString(c.resolvedAddress().get().toString());
                    } else {
                        g.writeNull();
                    }
                    g.writeStringField("scheme", https ? "https" : "http");
                    g.writeEndObject();
                }
                res = response(HttpResponseStatus.OK, "application/json", w.toString());
                DefaultCookie cookie = new DefaultCookie("sessionid", "demo");
                cookie.setPath("/");
                cookie.setHttpOnly(true);
                res.headers().add(HttpHeaderNames.SET_COOKIE, ServerCookieEncoder.STRICT.encode(cookie));
            } else if (get && path.equals("/_health")) {
                res = response(HttpResponseStatus.OK, "text/plain; charset=utf-8", "ok");
            } else {
                res = response(HttpResponseStatus.NOT_FOUND, "text/plain; charset=utf-8", "not found");
            }
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            HttpUtil.setKeepAlive(res, keepAlive);
            var f = ctx.writeAndFlush(res);
            if (!keepAlive) {
                f.addListener(ChannelFutureListener.CLOSE);
            }
        }

        private static FullHttpResponse response(HttpResponseStatus status, String type, String body) {
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
            HttpUtil.setContentLength(r, r.content().readableBytes());
            return r;
        }

        /** A page that violates its own report-only policy: an inline script and an image from another origin. */
        static String page(boolean https, String port) {
            return "<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Gatehouse demo</title></head>\n"
                    + "<body>\n<h1>Gatehouse demo</h1>\n"
                    + "<p>This page is served with a <code>Content-Security-Policy-Report-Only</code> that forbids inline"
                    + " scripts and images from other origins. It has both, so the browser reports them to"
                    + " <code>/report/</code> (" + (https ? "Reporting API and report-uri" : "report-uri") + ").</p>\n"
                    + "<img src=\"http://127.0.0.2:" + port + "/x.png\" alt=\"\" width=\"1\" height=\"1\">\n"
                    + "<script>document.body.setAttribute('data-inline', '1');</script>\n"
                    + "</body>\n</html>\n";
        }
    }
}
