package io.gatehouse.spring;

import io.gatehouse.proxy.ClientIp;
import io.gatehouse.servlet.GatehouseFilter;
import jakarta.servlet.ServletRequest;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Resolves a controller-method parameter of type {@link ClientIp}: the client the Gatehouse filter
 * resolved for the request. Registered by {@link EnableGatehouse} and by the Spring Boot starter.
 */
public final class ClientIpArgumentResolver implements HandlerMethodArgumentResolver {
    /** A resolver; it holds no state. */
    public ClientIpArgumentResolver() {
    }

    /**
     * A configurer that adds this resolver to Spring MVC's, unless one is there already: an
     * application may have both {@link EnableGatehouse} and the Spring Boot starter, each defining one.
     */
    public static WebMvcConfigurer webMvcConfigurer() {
        return new WebMvcConfigurer() {
            @Override
            public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
                if (resolvers.stream().noneMatch(ClientIpArgumentResolver.class::isInstance)) {
                    resolvers.add(new ClientIpArgumentResolver());
                }
            }
        };
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return ClientIp.class.isAssignableFrom(parameter.getParameterType());
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, @Nullable ModelAndViewContainer mav, NativeWebRequest request,
                                  @Nullable WebDataBinderFactory binderFactory) {
        ServletRequest servletRequest = request.getNativeRequest(ServletRequest.class);
        ClientIp client = servletRequest == null ? null : GatehouseFilter.clientIp(servletRequest);
        if (client == null) {
            throw new IllegalStateException("no ClientIp: the Gatehouse filter did not run for this request (register it"
                    + " first in the filter chain: GatehouseSpring.filterProxy(), or the Spring Boot starter does it)");
        }
        return client;
    }
}
