package io.gatehouse.boot;

import io.gatehouse.config.ConfigException;
import io.gatehouse.config.Gatehouse;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.cookie.CookiePolicy;
import io.gatehouse.csp.CspCounters;
import io.gatehouse.csp.CspSampler;
import io.gatehouse.csp.header.ContentSecurityPolicy;
import io.gatehouse.csp.sink.CspEventSink;
import io.gatehouse.csp.sink.JsonLinesSink;
import io.gatehouse.csp.sink.PostHogForwarder;
import io.gatehouse.micrometer.GatehouseMetrics;
import io.gatehouse.proxy.ClientIp;
import io.gatehouse.servlet.GatehouseFilter;
import io.gatehouse.spring.ClientIpArgumentResolver;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.web.filter.ForwardedHeaderFilter;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Gatehouse for a Spring Boot servlet application, from the dependency alone: the filter runs ahead of
 * Spring Security's filter chain and of Boot's forwarded-header handling, so a denied client gets 403,
 * plain http its redirect and a browser's CSP report its 204 before authentication, CSRF or a login
 * page; settings come from {@code gatehouse.*} and PostHog's variable names ({@link GatehouseProperties}).
 * Define a {@link GatehouseConfig}, {@link CspEventSink}, {@link CspCounters}, {@link ContentSecurityPolicy},
 * {@link CookiePolicy}, {@link CspSampler} or the {@link Gatehouse} itself to replace or complete the defaults.
 * With Micrometer, the meters of {@link GatehouseMetrics} are bound to every {@link MeterRegistry}.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({GatehouseFilter.class, FilterRegistrationBean.class})
@ConditionalOnBooleanProperty(name = "gatehouse.enabled", matchIfMissing = true)
@EnableConfigurationProperties(GatehouseProperties.class)
public class GatehouseAutoConfiguration {
    /** Made by Spring Boot when the auto-configuration applies. */
    public GatehouseAutoConfiguration() {
    }

    /**
     * The filter's order: ahead of Spring Security ({@code SecurityFilterProperties.DEFAULT_FILTER_ORDER},
     * -100), of Spring's {@code RequestContextFilter} (-105) and of {@code ForwardedHeaderFilter} (moved
     * right behind Gatehouse); behind only Boot's character-encoding filter and its HTTP server observation,
     * so denied requests are still observed.
     */
    public static final int FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    /** The bean name of the filter's registration; define a bean of this name to register it yourself. */
    public static final String FILTER_REGISTRATION = "gatehouseFilterRegistration";

    /** The counters of the CSP endpoint; the sink is bound to them when the endpoint is built. */
    @Bean
    @ConditionalOnMissingBean
    public CspCounters gatehouseCspCounters() {
        return new CspCounters();
    }

    /**
     * The configuration: {@code gatehouse.*}, else PostHog's variable names (not made when the application
     * defines its own {@link Gatehouse}).
     *
     * @throws ConfigException listing every problem (reported by {@link GatehouseFailureAnalyzer})
     */
    @Bean
    @ConditionalOnMissingBean({GatehouseConfig.class, Gatehouse.class})
    public GatehouseConfig gatehouseConfig(Environment environment, GatehouseProperties properties) {
        return GatehouseSettings.config(environment, properties);
    }

    /**
     * Where accepted CSP events go: PostHog at {@code gatehouse.csp.posthog-host} ({@code POSTHOG_HOST}), else
     * {@code gatehouse.csp.events-file}, else standard output, as JSON lines. Closed (flushed) when the
     * application stops.
     */
    @Bean
    @ConditionalOnMissingBean({CspEventSink.class, Gatehouse.class})
    public CspEventSink gatehouseCspEventSink(Environment environment, GatehouseProperties properties) {
        GatehouseSettings.Source host = GatehouseSettings.read(environment, properties, GatehouseSettings.POSTHOG_HOST);
        if (host != null && !host.value().isBlank()) {
            return PostHogForwarder.builder(URI.create(host.value().strip())).build();
        }
        GatehouseSettings.Source file = GatehouseSettings.read(environment, properties, GatehouseSettings.EVENTS_FILE);
        if (file != null && !file.value().isBlank()) {
            try {
                return JsonLinesSink.appendingTo(Path.of(file.value().strip()));
            } catch (IOException e) {
                throw new UncheckedIOException(file.described() + " cannot be opened: " + e.getMessage(), e);
            }
        }
        return JsonLinesSink.stdout();
    }

    /** The pipeline every request runs through. */
    @Bean
    @ConditionalOnMissingBean
    public Gatehouse gatehouse(GatehouseConfig config, CspEventSink sink, CspCounters counters,
                               ObjectProvider<ContentSecurityPolicy> csp, ObjectProvider<CookiePolicy> cookies,
                               ObjectProvider<CspSampler> sampler) {
        Gatehouse.Builder b = Gatehouse.builder(config, sink).counters(counters).contentSecurityPolicy(csp.getIfAvailable());
        cookies.ifAvailable(b::cookies);
        sampler.ifAvailable(b::sampler);
        return b.build();
    }

    /**
     * The filter for {@code /*} at {@link #FILTER_ORDER}, async-supported (report bodies are read without
     * holding a thread), on {@code REQUEST} dispatches (where it decides) and on {@code ASYNC} and
     * {@code ERROR} ones (where it only tells the application the resolved client and decorates the
     * response, e.g. a session cookie created while an error page renders). A {@link GatehouseFilter} bean of the
     * application's (such as the one {@code @EnableGatehouse} defines) is the filter registered here, so it runs once
     * and in this place, not a second time at Boot's default order behind Spring Security.
     */
    @Bean(FILTER_REGISTRATION)
    @ConditionalOnMissingBean(name = FILTER_REGISTRATION)
    public FilterRegistrationBean<GatehouseFilter> gatehouseFilterRegistration(Gatehouse gatehouse,
                                                                               ObjectProvider<GatehouseFilter> filters,
                                                                               Environment environment) {
        GatehouseFilter filter = filters.getIfUnique(() -> new GatehouseFilter(gatehouse));
        List<String> conflicts = GatehouseSettings.forwardedHeaderConflicts(environment, gatehouse.config().behindProxy());
        if (!conflicts.isEmpty()) {
            throw new ConfigException(conflicts);
        }
        FilterRegistrationBean<GatehouseFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setName("gatehouse");
        registration.setOrder(FILTER_ORDER);
        registration.setAsyncSupported(true);
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
        registration.addUrlPatterns("/*");
        return registration;
    }

    /**
     * Moves Spring's {@code ForwardedHeaderFilter} ({@code server.forward-headers-strategy=framework}, which Boot
     * registers at the highest precedence) right behind Gatehouse, so Gatehouse reads the request as the
     * client sent it.
     */
    @Bean
    @ConditionalOnClass(ForwardedHeaderFilter.class)
    public static BeanPostProcessor gatehouseForwardedHeaderFilterOrder() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof FilterRegistrationBean<?> r && r.getFilter() instanceof ForwardedHeaderFilter
                        && r.getOrder() <= FILTER_ORDER) {
                    r.setOrder(FILTER_ORDER + 1);
                }
                return bean;
            }
        };
    }

    /** Tomcat's own read timeout for request headers: {@code gatehouse.read-timeout-seconds}, unless set itself. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(ConfigurableTomcatWebServerFactory.class)
    static class TomcatReadTimeout {
        @Bean
        WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> gatehouseTomcatReadTimeout(
                ObjectProvider<Gatehouse> gatehouse, Environment environment) {
            return factory -> {
                if (Binder.get(environment).bind("server.tomcat.connection-timeout", Bindable.of(String.class)).isBound()) {
                    return;
                }
                String millis = Long.toString(gatehouse.getObject().config().readTimeoutSeconds() * 1000L);
                factory.addConnectorCustomizers(connector -> connector.setProperty("connectionTimeout", millis));
            };
        }
    }

    /** A {@link ClientIp} controller-method argument: the client Gatehouse resolved. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(WebMvcConfigurer.class)
    static class ClientIpArgument {
        @Bean
        WebMvcConfigurer gatehouseClientIpArgument() {
            return ClientIpArgumentResolver.webMvcConfigurer();
        }
    }


    /** Gatehouse's meters in every {@link MeterRegistry}, when the application has Micrometer. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({MeterRegistry.class, GatehouseMetrics.class})
    static class Metrics {
        @Bean
        @ConditionalOnMissingBean
        GatehouseMetrics gatehouseMetrics(Gatehouse gatehouse) {
            return GatehouseMetrics.of(gatehouse);
        }

        /**
         * Binds the meters to each registry that lacks them, once every singleton exists: Actuator binds
         * {@code MeterBinder} beans itself, an application with only Micrometer and its own registry does not.
         */
        @Bean
        SmartInitializingSingleton gatehouseMetricsBinding(ObjectProvider<MeterRegistry> registries,
                                                           ObjectProvider<GatehouseMetrics> metrics) {
            return () -> registries.orderedStream().forEach(registry -> {
                if (registry.find(GatehouseMetrics.HTTPS_REDIRECTS).meter() == null) {
                    metrics.ifAvailable(m -> m.bindTo(registry));
                }
            });
        }
    }
}
