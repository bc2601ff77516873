package io.gatehouse.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Import;

/**
 * Turns Gatehouse on in a Spring MVC application: defines the filter bean {@code gatehouseFilter}
 * (the allow-list, https redirect, CSP report endpoint, cookie policy and CSP headers) and a
 * {@link io.gatehouse.proxy.ClientIp} controller-method argument. Put the filter first in the
 * servlet chain with {@link GatehouseSpring#filterProxy()}.
 *
 * <p>Configuration comes from the Spring {@code Environment} under PostHog's and Gatehouse's
 * variable names ({@code ALLOWED_IP_BLOCKS}, {@code GATEHOUSE_CSP_TOKENS}, ...), so environment
 * variables and property sources both work. Define a {@link io.gatehouse.config.Gatehouse},
 * {@link io.gatehouse.config.GatehouseConfig}, {@link io.gatehouse.csp.sink.CspEventSink} or
 * {@link io.gatehouse.csp.header.ContentSecurityPolicy} bean to replace the defaults.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Documented
@Import(GatehouseConfiguration.class)
public @interface EnableGatehouse {
}
