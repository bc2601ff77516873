package io.gatehouse.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.access.IpAllowList;
import io.gatehouse.conformance.AdapterConformanceTest;
import io.gatehouse.config.Gatehouse;
import io.gatehouse.servlet.GatehouseFilter;
import io.gatehouse.spring.EnableGatehouse;
import jakarta.servlet.FilterRegistration;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * A Boot application that also says {@code @EnableGatehouse} (as one moved from plain Spring MVC does) with Spring
 * Security on its class path: the filter {@code @EnableGatehouse} defines is the one the starter registers, once,
 * ahead of Spring Security, over the starter's {@link Gatehouse}; not a second time at Boot's default order.
 */
@Timeout(120)
class BootEnableGatehouseWithSecurityTest {
    private static BootApp app;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableGatehouse
    @Import(PlainApp.Routes.class)
    static class EnabledApp {
    }

    @BeforeAll
    static void start() {
        app = BootApp.start(EnabledApp.class, Map.of("gatehouse.test", "true", "gatehouse.behind-proxy", "true",
                "gatehouse.trusted-proxies", "127.0.0.1", "gatehouse.allowed-ip-blocks", "10.0.0.0/8",
                "gatehouse.csp.events-file", System.getProperty("java.io.tmpdir") + "/gatehouse-enable-test.jsonl"));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void theServletContextHoldsOneGatehouseFilterAndItIsTheApplicationsBean() {
        var servletContext = ((ServletWebServerApplicationContext) app.context).getServletContext();
        assertThat(servletContext).isNotNull();
        List<String> gatehouseFilters = servletContext.getFilterRegistrations().values().stream()
                .filter(r -> GatehouseFilter.class.getName().equals(r.getClassName()))
                .map(FilterRegistration::getName).toList();
        assertThat(gatehouseFilters).containsExactly("gatehouse");
        FilterRegistrationBean<?> registration = app.context.getBean(GatehouseAutoConfiguration.FILTER_REGISTRATION,
                FilterRegistrationBean.class);
        assertThat(registration.getFilter()).isSameAs(app.context.getBean(GatehouseFilter.class));
        assertThat(app.context.getBeansOfType(Gatehouse.class)).hasSize(1);
    }

    @Test
    void aDeniedClientGets403BeforeSpringSecurityAndAnAllowedOneReachesIt() throws Exception {
        HttpResponse<String> denied = AdapterConformanceTest.exchange(http, app.base(), "GET", "/app", null,
                "X-Forwarded-For", "203.0.113.5");
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.body()).isEqualTo(IpAllowList.DENIED_BODY);
        assertThat(denied.headers().firstValue("WWW-Authenticate")).isEmpty();
        HttpResponse<String> allowed = AdapterConformanceTest.exchange(http, app.base(), "GET", "/app", null,
                "X-Forwarded-For", "10.1.2.3");
        assertThat(allowed.statusCode()).as("Spring Security asks for a login").isEqualTo(401);
    }
}
