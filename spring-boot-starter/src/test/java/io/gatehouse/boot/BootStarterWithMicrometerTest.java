package io.gatehouse.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.micrometer.GatehouseMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.util.ClassUtils;

/** Micrometer and the application's own registry, no Actuator: the starter binds the meters itself. */
@Timeout(60)
class BootStarterWithMicrometerTest {

    @Test
    void metersAreBoundToTheApplicationsRegistry() throws Exception {
        assertThat(ClassUtils.isPresent("org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration", null))
                .as("no Actuator metrics on this class path").isFalse();
        SimpleMeterRegistry own = new SimpleMeterRegistry();
        try (BootApp app = BootApp.start(PlainApp.class, Map.of("gatehouse.test", "true", "gatehouse.allowed-ip-blocks", "10.0.0.0/8"),
                io.gatehouse.conformance.AdapterConformanceTest.Listen.DEFAULT,
                context -> context.getBeanFactory().registerSingleton("meterRegistry", own))) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(app.base().resolve("/app")).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(403);
            HttpResponse<String> report = http.send(HttpRequest.newBuilder(app.base().resolve("/report/?token=phc_x"))
                    .header("Content-Type", "application/csp-report").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"csp-report\": {\"document-uri\": \"https://a.example/\"}}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(report.statusCode()).isEqualTo(204);
            MeterRegistry registry = app.context.getBean(MeterRegistry.class);
            assertThat(registry).isSameAs(own);
            assertThat(registry.get(GatehouseMetrics.DENIED).tag("client", "resolved").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get(GatehouseMetrics.CSP_VIOLATIONS).tag("outcome", "accepted").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get(GatehouseMetrics.CSP_REPORTS).functionCounter().count()).isEqualTo(1);
            assertThat(registry.find(GatehouseMetrics.DENIED).functionCounters()).as("bound once").hasSize(2);
        }
    }
}
