package io.gatehouse.boot;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Keeps Boot's own forwarded-header handling out of Gatehouse's way: when Gatehouse resolves forwarded
 * headers ({@code gatehouse.behind-proxy}, or PostHog's {@code IS_BEHIND_PROXY}) and the application has
 * not chosen {@code server.forward-headers-strategy}, it is set to {@code none}, with the lowest
 * precedence. Otherwise Boot turns on Tomcat's {@code RemoteIpValve} by itself on a cloud platform
 * (Kubernetes, Cloud Foundry, ...), and the valve rewrites the client from {@code X-Forwarded-For},
 * trusting every private address, before any filter runs. A strategy the application sets itself is
 * left alone (and reported by the auto-configuration when it conflicts).
 */
public class GatehouseEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {
    /** Made by Spring Boot from {@code META-INF/spring.factories}. */
    public GatehouseEnvironmentPostProcessor() {
    }

    /** The name of the property source this adds. */
    public static final String PROPERTY_SOURCE = "gatehouseForwardHeadersStrategy";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Binder binder = Binder.get(environment);
        boolean enabled = binder.bind("gatehouse.enabled", Bindable.of(String.class)).map(v -> !v.strip().equalsIgnoreCase("false"))
                .orElse(true);
        if (!enabled || !GatehouseSettings.behindProxy(environment)
                || binder.bind("server.forward-headers-strategy", Bindable.of(String.class)).isBound()) {
            return;
        }
        environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE,
                Map.of("server.forward-headers-strategy", "none")));
    }

    /** After the application's own configuration is loaded. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
