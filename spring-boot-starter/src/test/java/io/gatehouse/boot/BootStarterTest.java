package io.gatehouse.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.access.IpAllowList;
import io.gatehouse.config.ConfigException;
import io.gatehouse.config.Gatehouse;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.conformance.AdapterConformanceTest.Listen;
import io.gatehouse.conformance.AdapterConformanceTest;
import io.gatehouse.cookie.SetCookie;
import io.gatehouse.csp.header.ContentSecurityPolicy;
import io.gatehouse.ip.Cidr;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.web.filter.ForwardedHeaderFilter;

/** The starter in a new Boot application without Spring Security: properties, precedence, ordering, failures. */
@Timeout(120)
class BootStarterTest {
    private static final String REPORT = "{\"csp-report\": {\"document-uri\": \"https://a.example/\", \"violated-directive\": \"img-src\"}}";
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> send(URI base, String method, String path, String body, String... headers) throws Exception {
        return AdapterConformanceTest.exchange(http, base, method, path, body, headers);
    }

    @Test
    void settingsComeFromApplicationPropertiesAndPostHogNamesWhereGatehousePropertiesAreNotSet(@TempDir Path dir)
            throws Exception {
        Path events = dir.resolve("events.jsonl");
        try (BootApp app = BootApp.start(PlainApp.class, Map.of("spring.config.name", "gatehouse-app",
                "TRUSTED_PROXIES", "127.0.0.1", "gatehouse.csp.events-file", events.toString()), Listen.DEFAULT,
                context -> { }, "--ALLOWED_IP_BLOCKS=192.0.2.0/24")) {
            GatehouseConfig config = app.context.getBean(Gatehouse.class).config();
            assertThat(config.allowedIpBlocks().blocks()).as("gatehouse.* wins over a PostHog name, even from the command line")
                    .containsExactly(Cidr.parse("10.0.0.0/8"), Cidr.parse("127.0.0.1/32"));
            assertThat(config.trustedProxies().blocks()).as("PostHog's name where gatehouse.* is unset")
                    .containsExactly(Cidr.parse("127.0.0.1/32"));
            assertThat(config.cspPath()).isEqualTo("/csp");
            assertThat(config.cspTokens()).hasValue(java.util.Set.of("phc_props", "phc_other"));
            assertThat(config.maxForwardedHops()).isEqualTo(4);
            assertThat(config.development()).isTrue();
            assertThat(app.context.getBean(GatehouseProperties.class).getCsp().getTokens()).containsExactly("phc_props", "phc_other");
            assertThat(app.context.getEnvironment().getProperty("server.forward-headers-strategy"))
                    .as("Boot's own forwarded-header handling is off while Gatehouse resolves proxies").isEqualTo("none");

            URI base = app.base();
            assertThat(send(base, "GET", "/whoami", null, "X-Forwarded-For", "10.2.3.4").body()).isEqualTo("10.2.3.4 http");
            HttpResponse<String> denied = send(base, "GET", "/whoami", null, "X-Forwarded-For", "192.0.2.9");
            assertThat(denied.statusCode()).isEqualTo(403);
            assertThat(denied.body()).isEqualTo(IpAllowList.DENIED_BODY);
            assertThat(send(base, "POST", "/csp/?token=phc_x", REPORT, "Content-Type", "application/csp-report").statusCode())
                    .isEqualTo(401);
            assertThat(send(base, "POST", "/csp/?token=phc_props", REPORT, "Content-Type", "application/csp-report",
                    "X-Forwarded-For", "192.0.2.9").statusCode()).as("the report path is exempt").isEqualTo(204);
            assertThat(Files.readAllLines(events)).singleElement().satisfies(line -> assertThat(line)
                    .contains("\"event\":\"$csp_violation\"").contains("\"$csp_document_url\":\"https://a.example/\""));
        }
    }

    @Test
    void errorDispatchesSeeTheResolvedClientAndPassTheCookiePolicy() throws Exception {
        ContentSecurityPolicy csp = ContentSecurityPolicy.builder().directive("default-src", "'self'").build();
        try (BootApp app = BootApp.start(PlainApp.class, Map.of("gatehouse.debug", "true", "gatehouse.secure-cookies", "true",
                "gatehouse.disable-secure-ssl-redirect", "true", "gatehouse.behind-proxy", "true",
                "gatehouse.trusted-proxies", "127.0.0.1"), Listen.DEFAULT,
                context -> context.getBeanFactory().registerSingleton("csp", csp))) {
            HttpResponse<String> r = send(app.base(), "GET", "/boom", null, "X-Forwarded-For", "203.0.113.4");
            assertThat(r.statusCode()).isEqualTo(500);
            assertThat(r.body()).isEqualTo("error for 203.0.113.4 http");
            assertThat(r.headers().allValues("Set-Cookie")).singleElement().satisfies(c ->
                    assertThat(SetCookie.parse(c).orElseThrow().has("Secure")).as(c).isTrue());
            assertThat(r.headers().firstValue("Content-Security-Policy")).as("the application's own policy bean")
                    .hasValue("default-src 'self'");
        }
    }

    @Test
    void bootsDebugIsNotGatehousesDevelopmentMode() {
        assertThatThrownBy(() -> BootApp.start(PlainApp.class, Map.of("DEBUG", "true")).close())
                .satisfies(e -> assertThat(configException(e).problems()).singleElement().satisfies(p -> assertThat(p)
                        .startsWith("gatehouse.secret-key (or SECRET_KEY) is not set")));
    }

    @Test
    void aForwardedHeaderConflictIsListedWithEveryOtherProblem() {
        String key = "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5cD7eF9";
        assertThatThrownBy(() -> BootApp.start(PlainApp.class, Map.of("gatehouse.behind-proxy", "true",
                "server.forward-headers-strategy", "native", "gatehouse.allowed-ip-blocks", "10.0.0.0/33",
                "gatehouse.secret-key", key, "SECRET_KEY_FALLBACKS", "abcabcabcabcabcabcabcabcabcabcabc")).close())
                .satisfies(e -> {
                    ConfigException c = configException(e);
                    assertThat(c.problems()).hasSize(3);
                    assertThat(c.problems().get(0)).startsWith("gatehouse.allowed-ip-blocks (set in \"gatehouse.allowed-ip-blocks\"")
                            .contains("entry 1 \"10.0.0.0/33\"");
                    assertThat(c.problems().get(1)).startsWith("SECRET_KEY_FALLBACKS (set in ").contains("entry 1");
                    assertThat(c.problems().get(2)).startsWith("server.forward-headers-strategy=native");
                    FailureAnalysis analysis = new GatehouseFailureAnalyzer().analyze(e);
                    assertThat(analysis).isNotNull();
                    assertThat(analysis.getDescription()).contains("(3 problems)").contains(c.problems().get(2))
                            .doesNotContain("abcabcabc").doesNotContain(key);
                    assertThat(analysis.getAction()).contains("gatehouse.debug=true");
                });
    }

    @Test
    void springsForwardedHeaderFilterRunsBehindGatehouse() throws Exception {
        try (BootApp app = BootApp.start(PlainApp.class, Map.of("gatehouse.debug", "true",
                "gatehouse.allowed-ip-blocks", "127.0.0.1", "server.forward-headers-strategy", "framework"))) {
            Map<String, FilterRegistrationBean<?>> registrations = filterRegistrations(app);
            FilterRegistrationBean<?> forwarded = registrations.values().stream()
                    .filter(r -> r.getFilter() instanceof ForwardedHeaderFilter).findFirst().orElseThrow();
            assertThat(forwarded.getOrder()).isEqualTo(GatehouseAutoConfiguration.FILTER_ORDER + 1);
            assertThat(registrations.get(GatehouseAutoConfiguration.FILTER_REGISTRATION).getOrder())
                    .isEqualTo(GatehouseAutoConfiguration.FILTER_ORDER);
            HttpResponse<String> r = send(app.base(), "GET", "/whoami", null, "X-Forwarded-For", "203.0.113.1");
            assertThat(r.statusCode()).as("Gatehouse judged the real peer, not the header Spring's filter reads").isEqualTo(200);
            assertThat(r.body()).startsWith("127.0.0.1 ");
        }
    }

    @Test
    void gatehouseEnabledFalseRegistersNothing() throws Exception {
        try (BootApp app = BootApp.start(PlainApp.class, Map.of("gatehouse.enabled", "false",
                "gatehouse.allowed-ip-blocks", "10.0.0.0/8"))) {
            assertThat(app.context.getBeanNamesForType(Gatehouse.class)).isEmpty();
            assertThat(filterRegistrations(app)).doesNotContainKey(GatehouseAutoConfiguration.FILTER_REGISTRATION);
            assertThat(send(app.base(), "GET", "/app", null).statusCode()).isEqualTo(200);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Map<String, FilterRegistrationBean<?>> filterRegistrations(BootApp app) {
        return (Map) app.context.getBeansOfType(FilterRegistrationBean.class);
    }

    private static ConfigException configException(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigException c) {
                return c;
            }
        }
        throw new AssertionError("no ConfigException in " + e, e);
    }

    @Test
    void propertyDefaultsAreTheCoresDefaults() {
        GatehouseProperties p = new GatehouseProperties();
        GatehouseConfig core = GatehouseConfig.builder().debug(true).build();
        assertThat(p.getMaxForwardedHops()).isEqualTo(core.maxForwardedHops());
        assertThat(p.getReadTimeoutSeconds()).isEqualTo(core.readTimeoutSeconds());
        assertThat(p.getCsp().getPath()).isEqualTo(core.cspPath());
        assertThat(p.getCsp().getMaxBodyBytes()).isEqualTo(core.cspMaxBodyBytes());
        assertThat(p.getCsp().getMaxReports()).isEqualTo(core.cspMaxReports());
        assertThat(p.getCsp().isDropExtensionReports()).isEqualTo(core.cspDropExtensionReports());
        assertThat(p.isRequireSecretKey()).isEqualTo(core.requireSecretKey());
        assertThat(p.getClientIpHeaders()).containsExactly(core.clientIpHeaders().get(0).headerName());
        assertThat(GatehouseSettings.OPTIONS).hasSize(20);
        assertThat(List.of(p.isBehindProxy(), p.isTrustAllProxies(), p.isDisableSecureSslRedirect(), p.isDebug(), p.isTest()))
                .containsOnly(false);
    }
}
