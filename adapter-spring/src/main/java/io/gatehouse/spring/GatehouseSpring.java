package io.gatehouse.spring;

import jakarta.servlet.Filter;
import org.springframework.web.filter.DelegatingFilterProxy;

/** Helpers for wiring Gatehouse into a Spring MVC application. */
public final class GatehouseSpring {
    /** The bean name of the filter {@link EnableGatehouse} defines. */
    public static final String FILTER_BEAN = "gatehouseFilter";

    private GatehouseSpring() {
    }

    /**
     * A servlet filter that delegates to the {@code gatehouseFilter} bean; return it first from
     * {@code AbstractAnnotationConfigDispatcherServletInitializer.getServletFilters()} (or register it
     * for {@code /*} first in {@code web.xml}).
     */
    public static Filter filterProxy() {
        return new DelegatingFilterProxy(FILTER_BEAN);
    }
}
