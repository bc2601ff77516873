package io.gatehouse.spring;

import io.gatehouse.proxy.ClientIp;
import io.gatehouse.servlet.GatehouseFilter;
import jakarta.servlet.ServletRequest;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Resolves a controller-method parameter of type {@link ClientIp}: the client the Gatehouse filter
 * resolved for the request. Registered by {@link EnableGatehouse} and by the Spring Boot starter.
 */
public final class ClientIpArgumentResolver implements HandlerMethodArgumentResolver {
    /** A resolver; it holds no state. */
    public ClientIpArgumentResolver() {
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return ClientIp.class.isAssignableFrom(parameter.getParameterType());
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mav, NativeWebRequest request,
                                  WebDataBinderFactory binderFactory) {
        ServletRequest servletRequest = request.getNativeRequest(ServletRequest.class);
        ClientIp client = servletRequest == null ? null : GatehouseFilter.clientIp(servletRequest);
        if (client == null) {
            throw new IllegalStateException("no ClientIp: the Gatehouse filter did not run for this request (register it"
                    + " first in the filter chain: GatehouseSpring.filterProxy(), or the Spring Boot starter does it)");
        }
        return client;
    }
}
