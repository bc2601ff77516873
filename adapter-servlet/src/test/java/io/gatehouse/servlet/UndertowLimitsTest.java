package io.gatehouse.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.Gatehouse;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.conformance.AdapterConformanceTest;
import io.gatehouse.conformance.RawHttp;
import io.gatehouse.cookie.SetCookie;
import io.gatehouse.csp.sink.CspEventSink;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What Undertow 2.3 keeps out of a filter's reach, said out loud: the session cookie when the filter
 * is registered without {@link GatehouseFilter#register}, and {@code SameSite} on an
 * {@code addCookie} cookie. Each is a warning in the log, and on the wire as documented.
 */
@Timeout(60)
class UndertowLimitsTest {
    private static final Logger FILTER_LOG = Logger.getLogger(GatehouseFilter.class.getName());
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(r.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private EmbeddedUndertow server;

    @BeforeEach
    void capture() {
        FILTER_LOG.addHandler(capture);
    }

    @AfterEach
    void stop() {
        FILTER_LOG.removeHandler(capture);
        if (server != null) {
            server.close();
        }
    }

    private URI start(ServletContainerInitializer initializer) throws Exception {
        server = EmbeddedUndertow.start(initializer, new ConformanceServlet(new AdapterConformanceTest.App()),
                AdapterConformanceTest.Listen.DEFAULT, 10);
        return server.base();
    }

    private static Gatehouse secureCookies() {
        return Gatehouse.builder(GatehouseConfig.fromEnvironment(Map.of("TEST", "1", "SECURE_COOKIES", "true",
                "DISABLE_SECURE_SSL_REDIRECT", "true")), CspEventSink.consuming(events -> { })).build();
    }

    private static List<SetCookie> get(URI base, String path) throws Exception {
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(10_000);
            RawHttp.send(s, "GET " + path + " HTTP/1.1\r\nHost: " + base.getRawAuthority() + "\r\nConnection: close\r\n\r\n");
            RawHttp.Reply r = RawHttp.read(s.getInputStream(), false);
            assertThat(r.status()).isEqualTo(200);
            return r.headerLines().stream().filter(l -> l.regionMatches(true, 0, "Set-Cookie:", 0, 11))
                    .map(l -> SetCookie.parse(l.substring(11).strip()).orElseThrow()).toList();
        }
    }

    @Test
    void aFilterInitialisedAfterTheContextWarnsThatTheSessionCookieLeavesWithoutSecure() throws Exception {
        Gatehouse gatehouse = secureCookies();
        URI base = start((classes, context) -> {
            FilterRegistration.Dynamic r = context.addFilter("gatehouse", new GatehouseFilter(gatehouse));
            r.setAsyncSupported(true);
            r.addMappingForUrlPatterns(null, false, "/*");
        });
        assertThat(get(base, "/session")).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("JSESSIONID");
            assertThat(c.has("Secure")).as("Undertow writes it past the filter: " + c).isFalse();
        });
        // Undertow initialises the filter at its first request, long after the context.
        assertThat(warnings).singleElement().asString().contains("GatehouseFilter.register").contains("Undertow");
    }

    @Test
    void registeredWhileTheContextInitialisesTheSessionCookieIsSecureAndNothingIsSaid() throws Exception {
        Gatehouse gatehouse = secureCookies();
        URI base = start((classes, context) -> GatehouseFilter.register(context, gatehouse));
        assertThat(get(base, "/session")).singleElement().satisfies(c -> assertThat(c.has("Secure")).isTrue());
        assertThat(warnings).isEmpty();
    }

    @Test
    void sameSiteOnAnAddCookieCookieIsLostAndSaidOnce() throws Exception {
        Gatehouse gatehouse = secureCookies();
        URI base = start((classes, context) -> GatehouseFilter.register(context, gatehouse));
        for (int i = 0; i < 3; i++) {
            SetCookie session = get(base, "/cookies").stream().filter(c -> c.name().equals("sessionid")).findFirst().orElseThrow();
            assertThat(session.has("Secure")).isTrue();
            assertThat(session.has("HttpOnly")).isTrue();
            assertThat(session.has("SameSite")).as("Undertow 2.3 drops it: " + session).isFalse();
        }
        assertThat(warnings).singleElement().asString().contains("SameSite").contains("sessionid");
    }
}
