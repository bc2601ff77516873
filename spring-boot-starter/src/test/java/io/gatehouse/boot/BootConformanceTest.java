package io.gatehouse.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.Gatehouse;
import io.gatehouse.conformance.AdapterConformanceTest;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.util.ClassUtils;

/**
 * The conformance kit against a Boot 4 application on embedded Tomcat with the starter and nothing else:
 * no Spring Security, Actuator or Micrometer on the class path. The kit's {@link Gatehouse} is the
 * application's own bean, which the auto-configuration uses in place of its default.
 */
class BootConformanceTest extends AdapterConformanceTest {

    @BeforeAll
    static void classPathHasNoSecurityNorMicrometer() {
        assertThat(ClassUtils.isPresent("org.springframework.security.web.SecurityFilterChain", null)).isFalse();
        assertThat(ClassUtils.isPresent("io.micrometer.core.instrument.MeterRegistry", null)).isFalse();
    }

    /** Tomcat drops {@code Content-Length} beside {@code Transfer-Encoding} before any filter runs, and closes the connection after. */
    @Override
    protected boolean refusesContentLengthWithTransferEncoding() {
        return false;
    }

    @Override
    protected Server start(Gatehouse gatehouse, App app, Listen listen) {
        return BootApp.start(ConformanceApp.class, Map.of(), listen, context -> {
            context.getBeanFactory().registerSingleton("gatehouse", gatehouse);
            context.getBeanFactory().registerSingleton("conformanceKitApp", app);
        });
    }
}
