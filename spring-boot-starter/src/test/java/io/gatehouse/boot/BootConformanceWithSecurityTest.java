package io.gatehouse.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.Gatehouse;
import io.gatehouse.conformance.AdapterConformanceTest;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.util.ClassUtils;

/**
 * The conformance kit against a Boot 4 application with {@code spring-boot-starter-security} (form login, CSRF)
 * and Actuator on the class path: Gatehouse answers ahead of Spring Security's filter chain.
 */
class BootConformanceWithSecurityTest extends AdapterConformanceTest {

    @BeforeAll
    static void classPathHasSecurity() {
        assertThat(ClassUtils.isPresent("org.springframework.security.web.SecurityFilterChain", null)).isTrue();
    }

    /** Tomcat drops {@code Content-Length} beside {@code Transfer-Encoding} before any filter runs, and closes the connection after. */
    @Override
    protected boolean refusesContentLengthWithTransferEncoding() {
        return false;
    }

    @Override
    protected Server start(Gatehouse gatehouse, App app, Listen listen) {
        return BootApp.start(SecuredConformanceApp.class, Map.of(), listen, context -> {
            context.getBeanFactory().registerSingleton("gatehouse", gatehouse);
            context.getBeanFactory().registerSingleton("conformanceKitApp", app);
        });
    }
}
