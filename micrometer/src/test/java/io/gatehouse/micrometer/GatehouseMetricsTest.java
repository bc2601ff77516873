package io.gatehouse.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.Gatehouse;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.config.Outcome;
import io.gatehouse.csp.sink.CspEventSink;
import io.gatehouse.http.RequestView;
import io.gatehouse.ip.IpAddress;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The binder publishes what {@link Gatehouse#decide} counted, under the documented names and tags. */
class GatehouseMetricsTest {

    private static RequestView request(String method, String path, String query, String peer, String... headers) {
        Map<String, List<String>> h = new java.util.HashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i].toLowerCase(Locale.ROOT), List.of(headers[i + 1]));
        }
        return RequestView.of(method, path, query, "app.example", IpAddress.parse(peer), false,
                name -> h.getOrDefault(name.toLowerCase(Locale.ROOT), List.of()));
    }

    private static double count(SimpleMeterRegistry registry, String name, String... tags) {
        FunctionCounter c = registry.find(name).tags(tags).functionCounter();
        assertThat(c).as(name + " " + String.join(",", tags)).isNotNull();
        return c.count();
    }

    @Test
    void everyControlIsPublishedWithItsTags() {
        Gatehouse g = Gatehouse.builder(GatehouseConfig.fromEnvironment(Map.of("ALLOWED_IP_BLOCKS", "10.0.0.0/8",
                "IS_BEHIND_PROXY", "1", "TRUSTED_PROXIES", "127.0.0.1",
                "SECRET_KEY", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")), CspEventSink.consuming(events -> { })).build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        GatehouseMetrics.of(g).bindTo(registry);

        assertThat(g.decide(request("GET", "/app", null, "192.0.2.7"))).isInstanceOf(Outcome.Answer.class);
        assertThat(g.decide(request("GET", "/app", null, "127.0.0.1", "X-Forwarded-For", "bogus"))).isInstanceOf(Outcome.Answer.class);
        assertThat(g.decide(request("GET", "/app", null, "10.0.0.1"))).as("allowed, then redirected")
                .isInstanceOf(Outcome.Answer.class);
        assertThat(g.decide(request("POST", "/report/", null, "192.0.2.7", "Content-Type", "application/csp-report")))
                .as("no token: 401").isInstanceOf(Outcome.Answer.class);
        assertThat(g.decide(request("POST", "/app", null, "10.0.0.1", "Content-Length", "1", "Transfer-Encoding", "chunked")))
                .isInstanceOf(Outcome.Answer.class);

        assertThat(count(registry, GatehouseMetrics.DENIED, "client", "resolved")).isEqualTo(1);
        assertThat(count(registry, GatehouseMetrics.DENIED, "client", "unresolved")).isEqualTo(1);
        assertThat(registry.find(GatehouseMetrics.DENIED).functionCounters()).hasSize(2);
        assertThat(count(registry, GatehouseMetrics.UNRESOLVED, "reason", "not_an_ip")).isEqualTo(1);
        assertThat(count(registry, GatehouseMetrics.UNRESOLVED, "reason", "too_many_hops")).isZero();
        assertThat(count(registry, GatehouseMetrics.HTTPS_REDIRECTS)).isEqualTo(1);
        assertThat(count(registry, GatehouseMetrics.MALFORMED, "reason", "framing")).isEqualTo(1);
        assertThat(count(registry, GatehouseMetrics.MALFORMED, "reason", "host")).isZero();
        assertThat(count(registry, GatehouseMetrics.CSP_REJECTED, "reason", "missing_api_key")).isEqualTo(1);
        assertThat(count(registry, GatehouseMetrics.CSP_VIOLATIONS, "outcome", "accepted")).isZero();
        g.timedOut();
        assertThat(count(registry, GatehouseMetrics.TIMEOUTS)).isEqualTo(1);
    }

    @Test
    void namesAreDocumentedAndExtraTagsTellInstancesApart() {
        Gatehouse a = Gatehouse.builder(GatehouseConfig.fromEnvironment(Map.of("TEST", "1", "ALLOWED_IP_BLOCKS", "10.0.0.0/8")),
                CspEventSink.consuming(events -> { })).build();
        Gatehouse b = Gatehouse.builder(GatehouseConfig.fromEnvironment(Map.of("TEST", "1")), CspEventSink.consuming(events -> { })).build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        GatehouseMetrics.of(a, Tags.of("gatehouse", "a")).bindTo(registry);
        GatehouseMetrics.of(b, Tags.of("gatehouse", "b")).bindTo(registry);
        a.decide(request("GET", "/app", null, "192.0.2.7"));
        assertThat(count(registry, GatehouseMetrics.DENIED, "gatehouse", "a", "client", "resolved")).isEqualTo(1);
        assertThat(count(registry, GatehouseMetrics.DENIED, "gatehouse", "b", "client", "resolved")).isZero();
        assertThat(registry.getMeters().stream().map(m -> m.getId().getName()).distinct().sorted())
                .containsExactly("gatehouse.allowlist.denied", "gatehouse.clients.unresolved", "gatehouse.csp.delivery.retries",
                        "gatehouse.csp.events.delivered", "gatehouse.csp.events.dropped", "gatehouse.csp.reports",
                        "gatehouse.csp.reports.ignored", "gatehouse.csp.requests.rejected", "gatehouse.csp.sink.errors",
                        "gatehouse.csp.violations", "gatehouse.https.redirects", "gatehouse.requests.malformed",
                        "gatehouse.requests.timeouts");
        assertThat(registry.getMeters()).allSatisfy(m -> {
            assertThat(m.getId().getType()).isEqualTo(Meter.Type.COUNTER);
            assertThat(m.getId().getDescription()).isNotBlank();
        });
    }
}
