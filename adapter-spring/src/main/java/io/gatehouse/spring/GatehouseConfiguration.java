package io.gatehouse.spring;

import io.gatehouse.config.Gatehouse;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.csp.header.ContentSecurityPolicy;
import io.gatehouse.csp.sink.CspEventSink;
import io.gatehouse.csp.sink.JsonLinesSink;
import io.gatehouse.csp.sink.PostHogForwarder;
import io.gatehouse.proxy.ClientIp;
import io.gatehouse.servlet.GatehouseFilter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** The beans {@link EnableGatehouse} imports. */
@Configuration(proxyBeanMethods = false)
public class GatehouseConfiguration implements DisposableBean {
    /** Every setting read from the Spring {@code Environment}. */
    static final List<String> SETTINGS = List.of("DEBUG", "TEST", "ALLOWED_IP_BLOCKS", "IS_BEHIND_PROXY",
            "TRUSTED_PROXIES", "TRUST_ALL_PROXIES", "SECURE_COOKIES", "DISABLE_SECURE_SSL_REDIRECT", "SECRET_KEY",
            "SECRET_KEY_FALLBACKS", "GATEHOUSE_REQUIRE_SECRET_KEY", "GATEHOUSE_EXEMPT_PATHS", "GATEHOUSE_CLIENT_IP_HEADERS",
            "GATEHOUSE_MAX_FORWARDED_HOPS", "GATEHOUSE_CSP_PATH", "GATEHOUSE_CSP_MAX_BODY_BYTES",
            "GATEHOUSE_CSP_MAX_REPORTS", "GATEHOUSE_CSP_TOKENS", "GATEHOUSE_CSP_DROP_EXTENSION_REPORTS",
            "GATEHOUSE_READ_TIMEOUT_SECONDS");

    private @Nullable CspEventSink ownSink;

    /** Made by Spring when {@link EnableGatehouse} imports it. */
    public GatehouseConfiguration() {
    }

    /**
     * The filter, over the application's {@link Gatehouse} bean when it defines one, else one built
     * from the {@code Environment} (and any {@link GatehouseConfig}, {@link CspEventSink} and
     * {@link ContentSecurityPolicy} beans).
     */
    @Bean
    public GatehouseFilter gatehouseFilter(ObjectProvider<Gatehouse> gatehouse, ObjectProvider<GatehouseConfig> config,
                                           ObjectProvider<CspEventSink> sink, ObjectProvider<ContentSecurityPolicy> csp,
                                           Environment env) {
        Gatehouse g = gatehouse.getIfAvailable(() -> {
            CspEventSink s = sink.getIfAvailable(() -> ownSink = defaultSink(env));
            return Gatehouse.builder(config.getIfAvailable(() -> fromEnvironment(env)), s)
                    .contentSecurityPolicy(csp.getIfAvailable()).build();
        });
        return new GatehouseFilter(g);
    }

    /** Registers the {@link ClientIp} controller-method argument. */
    @Bean
    public WebMvcConfigurer gatehouseWebMvcConfigurer() {
        return ClientIpArgumentResolver.webMvcConfigurer();
    }

    /** Every Gatehouse setting from {@code env}, by its variable name. */
    static GatehouseConfig fromEnvironment(Environment env) {
        Map<String, String> map = new HashMap<>();
        for (String name : SETTINGS) {
            String v = env.getProperty(name);
            if (v != null) {
                map.put(name, v);
            }
        }
        return GatehouseConfig.fromEnvironment(map);
    }

    /** {@code POSTHOG_HOST}: forward to PostHog; else {@code GATEHOUSE_CSP_EVENTS_FILE}; else standard output. */
    static CspEventSink defaultSink(Environment env) {
        String host = env.getProperty("POSTHOG_HOST");
        if (host != null && !host.isBlank()) {
            return PostHogForwarder.builder(URI.create(host.strip())).build();
        }
        String file = env.getProperty("GATEHOUSE_CSP_EVENTS_FILE");
        if (file != null && !file.isBlank()) {
            try {
                return JsonLinesSink.appendingTo(Path.of(file));
            } catch (IOException e) {
                throw new UncheckedIOException("GATEHOUSE_CSP_EVENTS_FILE cannot be opened: " + e.getMessage(), e);
            }
        }
        return JsonLinesSink.stdout();
    }

    /** Flushes and closes the sink this configuration created (the application closes its own). */
    @Override
    public void destroy() {
        if (ownSink != null) {
            ownSink.close();
        }
    }

}
