package io.gatehouse.servlet;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.config.Gatehouse;
import io.gatehouse.conformance.AdapterConformanceTest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit against embedded Jetty 12 (ee10, Servlet 6.0), the filter registered by
 * {@link GatehouseFilter#register} from a {@code ServletContainerInitializer}.
 */
class JettyConformanceTest extends AdapterConformanceTest {

    /** Servlet 6.0 has only {@code sendRedirect(String)}. */
    @Override
    protected List<String> redirectForms() {
        return List.of("plain");
    }

    /** Jetty's HTTP parser answers a header section over its 8 KiB limit 431, before any filter runs. */
    @Override
    protected int headerTooLargeStatus() {
        return 431;
    }

    @Override
    protected Server start(Gatehouse gatehouse, App app, Listen listen) throws Exception {
        return EmbeddedJetty.start((classes, context) -> GatehouseFilter.register(context, gatehouse), new ConformanceServlet(app),
                listen, gatehouse.config().readTimeoutSeconds());
    }

    /** This execution has the Servlet 6.0 API Jetty brings, not the 6.1 API the project compiles against. */
    @Test
    void runsAgainstTheServlet60Api() {
        assertThatThrownBy(() -> HttpServletResponse.class.getMethod("sendRedirect", String.class, int.class))
                .isInstanceOf(NoSuchMethodException.class);
    }
}
