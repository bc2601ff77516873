package io.gatehouse.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.Gatehouse;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.conformance.AdapterConformanceTest;
import io.gatehouse.conformance.RawHttp;
import io.gatehouse.csp.sink.CspEvent;
import io.gatehouse.csp.sink.CspEventSink;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How the filter reads a report body, on each container (its subclasses: Tomcat 11, Jetty 12,
 * Undertow 2.3): one that came with its headers is answered on the request thread, without an
 * asynchronous cycle; one still on its way is read asynchronously (no thread held), and both are
 * accepted whole.
 */
@Timeout(60)
abstract class ReportReadCases {
    private static final String BODY = "{\"csp-report\": {\"document-uri\": \"https://a.example/\", \"violated-directive\": \"img-src\"}}";
    private static final String HEAD = "POST /report/?token=t HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Content-Type: application/csp-report\r\nContent-Length: " + BODY.length() + "\r\n\r\n";

    private final List<CspEvent> events = Collections.synchronizedList(new ArrayList<>());
    private final Gatehouse gatehouse = Gatehouse.builder(GatehouseConfig.fromEnvironment(Map.of("TEST", "1")),
            CspEventSink.consuming(events::addAll)).build();
    private final Observing filter = new Observing(new GatehouseFilter(gatehouse));

    /** The Gatehouse filter, and whether the request was asynchronous when it returned. */
    static final class Observing implements Filter {
        private final GatehouseFilter inner;
        final List<Boolean> asyncStarted = Collections.synchronizedList(new ArrayList<>());

        Observing(GatehouseFilter inner) {
            this.inner = inner;
        }

        @Override
        public void init(FilterConfig config) throws ServletException {
            inner.init(config);
        }

        @Override
        public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
            inner.doFilter(req, res, chain);
            asyncStarted.add(req.isAsyncStarted());
        }

        /**
         * What was recorded once {@code n} requests have left the filter: the client may read its
         * answer before the filter's {@code doFilter} has returned.
         */
        List<Boolean> recorded(int n) throws InterruptedException {
            for (long deadline = System.nanoTime() + 5_000_000_000L; asyncStarted.size() < n && System.nanoTime() < deadline; ) {
                Thread.sleep(10);
            }
            return List.copyOf(asyncStarted);
        }
    }

    /** Starts the container with {@code filter} first for {@code /*}, async-supported, before the kit's servlet. */
    abstract AdapterConformanceTest.Server start(Filter filter, ConformanceServlet servlet) throws Exception;

    /** Registers {@code filter} as the first filter for {@code /*}, async-supported, for the containers started by an initializer. */
    static ServletContainerInitializer first(Filter filter) {
        return (classes, context) -> {
            FilterRegistration.Dynamic r = context.addFilter("gatehouse", filter);
            r.setAsyncSupported(true);
            r.addMappingForUrlPatterns(null, false, "/*");
        };
    }

    private AdapterConformanceTest.Server start() throws Exception {
        return start(filter, new ConformanceServlet(new AdapterConformanceTest.App()));
    }

    private static RawHttp.Reply post(AdapterConformanceTest.Server server, long pauseMillis) throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.base().getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            if (pauseMillis == 0) {
                out.write((HEAD + BODY).getBytes(StandardCharsets.US_ASCII)); // one write: one segment on loopback
            } else {
                out.write((HEAD + BODY.substring(0, 20)).getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(pauseMillis);
                out.write(BODY.substring(20).getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
            return RawHttp.read(s.getInputStream(), false);
        }
    }

    @Test
    void aBodyThatCameWithItsHeadersIsAnsweredWithoutGoingAsync() throws Exception {
        try (AdapterConformanceTest.Server server = start()) {
            for (int i = 0; i < 3; i++) {
                assertThat(post(server, 0).status()).isEqualTo(204);
            }
            assertThat(events).hasSize(3);
            // Each request's body came in one segment with its headers; allow one whose body the
            // container had not taken in yet when the filter looked (it then goes async, as below).
            List<Boolean> async = filter.recorded(3);
            assertThat(async.stream().filter(a -> !a).count()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void aBodyStillOnItsWayIsReadAsynchronouslyAndWhole() throws Exception {
        try (AdapterConformanceTest.Server server = start()) {
            assertThat(post(server, 300).status()).isEqualTo(204);
            assertThat(events).hasSize(1);
            assertThat(events.get(0).properties()).containsEntry("$csp_violated_directive", "img-src");
            assertThat(filter.recorded(1)).containsExactly(true);
        }
    }
}
