package io.gatehouse.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.access.IpAllowList;
import io.gatehouse.conformance.AdapterConformanceTest;
import io.gatehouse.csp.sink.CspEvent;
import io.gatehouse.csp.sink.CspEventSink;
import io.gatehouse.micrometer.GatehouseMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;
import org.springframework.boot.web.servlet.FilterRegistrationBean;

/**
 * A new Boot application that adds {@code spring-boot-starter-security} with its defaults (every request needs a
 * login; CSRF on) and Actuator: Gatehouse's answers come before Spring Security's, and its meters reach the
 * {@code MeterRegistry} and {@code /actuator/metrics}. Two applications, each started once.
 */
@Timeout(120)
class BootStarterWithSecurityTest {
    private static final String REPORT = "{\"csp-report\": {\"document-uri\": \"https://a.example/\", \"violated-directive\": \"img-src\"}}";
    private static final String OPS = "Basic " + Base64.getEncoder().encodeToString("ops:correct-horse-battery".getBytes(StandardCharsets.UTF_8));
    private static final List<CspEvent> EVENTS = Collections.synchronizedList(new ArrayList<>());
    /** Test mode, an allow-list for clients behind a trusted proxy on 127.0.0.1, metrics exposed to a logged-in user. */
    private static BootApp guarded;
    /** Production mode (secure cookies, so plain http is redirected) behind a trusted proxy on 127.0.0.1. */
    private static BootApp production;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        Map<String, Object> common = Map.of("gatehouse.behind-proxy", "true", "gatehouse.trusted-proxies", "127.0.0.1",
                "spring.security.user.name", "ops", "spring.security.user.password", "correct-horse-battery",
                "management.endpoints.web.exposure.include", "metrics");
        Map<String, Object> g = new java.util.HashMap<>(common);
        g.putAll(Map.of("gatehouse.test", "true", "gatehouse.allowed-ip-blocks", "10.0.0.0/8"));
        CspEventSink sink = CspEventSink.consuming(EVENTS::addAll);
        guarded = BootApp.start(PlainApp.class, g, io.gatehouse.conformance.AdapterConformanceTest.Listen.DEFAULT,
                context -> context.getBeanFactory().registerSingleton("eventSink", sink));
        Map<String, Object> p = new java.util.HashMap<>(common);
        p.put("gatehouse.secret-key", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
        production = BootApp.start(PlainApp.class, p);
    }

    @AfterAll
    static void stop() {
        if (guarded != null) {
            guarded.close();
        }
        if (production != null) {
            production.close();
        }
    }

    private HttpResponse<String> send(URI base, String method, String path, String body, String... headers) throws Exception {
        return AdapterConformanceTest.exchange(http, base, method, path, body, headers);
    }

    /** What Spring Security leaves on every response it handles; none of it on an answer of Gatehouse's. */
    private static void assertSecurityDidNotRun(HttpResponse<String> r) {
        assertThat(r.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(r.headers().firstValue("X-Frame-Options")).isEmpty();
        assertThat(r.headers().firstValue("X-Content-Type-Options")).isEmpty();
        assertThat(r.headers().allValues("Set-Cookie")).isEmpty();
    }

    @Test
    void theFilterIsRegisteredAheadOfSpringSecurity() {
        FilterRegistrationBean<?> gatehouse = guarded.context.getBean(GatehouseAutoConfiguration.FILTER_REGISTRATION,
                FilterRegistrationBean.class);
        DelegatingFilterProxyRegistrationBean security = guarded.context.getBean(DelegatingFilterProxyRegistrationBean.class);
        assertThat(gatehouse.getOrder()).isLessThan(security.getOrder());
    }

    @Test
    void aDeniedClientGets403BeforeSpringSecurityRuns() throws Exception {
        for (String method : List.of("GET", "POST")) {
            HttpResponse<String> r = send(guarded.base(), method, "/app", method.equals("POST") ? "x" : null,
                    "X-Forwarded-For", "203.0.113.5", "Accept", "text/html");
            assertThat(r.statusCode()).as(method).isEqualTo(403);
            assertThat(r.body()).as("Gatehouse's text, not a login page or a CSRF error").isEqualTo(IpAllowList.DENIED_BODY);
            assertSecurityDidNotRun(r);
        }
        HttpResponse<String> allowed = send(guarded.base(), "GET", "/app", null, "X-Forwarded-For", "10.1.2.3");
        assertThat(allowed.statusCode()).as("an allowed client meets Spring Security").isEqualTo(401);
        assertThat(allowed.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(allowed.headers().firstValue("X-Frame-Options")).isPresent();
    }

    @Test
    void aReportIsAcceptedWithoutCredentialsOrCsrfToken() throws Exception {
        int before = EVENTS.size();
        for (String client : List.of("203.0.113.5", "10.1.2.3")) {
            HttpResponse<String> r = send(guarded.base(), "POST", "/report/?token=phc_x", REPORT,
                    "Content-Type", "application/csp-report", "X-Forwarded-For", client);
            assertThat(r.statusCode()).as(client).isEqualTo(204);
            assertSecurityDidNotRun(r);
        }
        assertThat(EVENTS.size() - before).isEqualTo(2);
    }

    @Test
    void plainHttpIsRedirectedBeforeSpringSecurityRuns() throws Exception {
        HttpResponse<String> get = send(production.base(), "GET", "/app?x=1", null);
        assertThat(get.statusCode()).isEqualTo(301);
        assertThat(get.headers().firstValue("Location")).hasValue("https://127.0.0.1:" + production.base().getPort() + "/app?x=1");
        assertSecurityDidNotRun(get);
        HttpResponse<String> post = send(production.base(), "POST", "/app", "x");
        assertThat(post.statusCode()).as("not CSRF's 403").isEqualTo(308);
        assertSecurityDidNotRun(post);
        assertThat(send(production.base(), "POST", "/report/?token=phc_x", REPORT, "Content-Type", "application/csp-report")
                .statusCode()).as("reports are not redirected, nor asked for a login").isEqualTo(204);
        HttpResponse<String> viaProxy = send(production.base(), "GET", "/app", null, "X-Forwarded-Proto", "https");
        assertThat(viaProxy.statusCode()).as("over https, Spring Security decides").isEqualTo(401);
        assertThat(production.context.getEnvironment().getProperty("server.forward-headers-strategy")).isEqualTo("none");
    }

    @Test
    void metersReachTheRegistryAndActuator() throws Exception {
        MeterRegistry registry = guarded.context.getBean(MeterRegistry.class);
        double denied = registry.get(GatehouseMetrics.DENIED).tag("client", "resolved").functionCounter().count();
        double unresolved = registry.get(GatehouseMetrics.UNRESOLVED).tag("reason", "not_an_ip").functionCounter().count();
        assertThat(send(guarded.base(), "GET", "/app", null, "X-Forwarded-For", "203.0.113.77").statusCode()).isEqualTo(403);
        assertThat(send(guarded.base(), "GET", "/app", null, "X-Forwarded-For", "not-an-ip").statusCode()).isEqualTo(403);
        assertThat(registry.get(GatehouseMetrics.DENIED).tag("client", "resolved").functionCounter().count()).isEqualTo(denied + 1);
        assertThat(registry.get(GatehouseMetrics.UNRESOLVED).tag("reason", "not_an_ip").functionCounter().count())
                .isEqualTo(unresolved + 1);

        String path = "/actuator/metrics/" + GatehouseMetrics.DENIED + "?tag=client:resolved";
        assertThat(send(guarded.base(), "GET", path, null, "X-Forwarded-For", "10.1.2.3").statusCode())
                .as("Actuator still needs a login").isEqualTo(401);
        HttpResponse<String> metric = send(guarded.base(), "GET", path, null, "X-Forwarded-For", "10.1.2.3", "Authorization", OPS);
        assertThat(metric.statusCode()).isEqualTo(200);
        assertThat(metric.body()).contains("\"name\":\"gatehouse.allowlist.denied\"")
                .contains("\"statistic\":\"COUNT\",\"value\":" + (denied + 1));
        HttpResponse<String> names = send(guarded.base(), "GET", "/actuator/metrics", null, "X-Forwarded-For", "10.1.2.3",
                "Authorization", OPS);
        assertThat(names.body()).contains(GatehouseMetrics.HTTPS_REDIRECTS, GatehouseMetrics.UNRESOLVED, GatehouseMetrics.MALFORMED,
                GatehouseMetrics.CSP_VIOLATIONS, GatehouseMetrics.CSP_REJECTED);

        MeterRegistry prod = production.context.getBean(MeterRegistry.class);
        double redirects = prod.get(GatehouseMetrics.HTTPS_REDIRECTS).functionCounter().count();
        assertThat(send(production.base(), "GET", "/app", null).statusCode()).isEqualTo(301);
        assertThat(prod.get(GatehouseMetrics.HTTPS_REDIRECTS).functionCounter().count()).isEqualTo(redirects + 1);
    }
}
