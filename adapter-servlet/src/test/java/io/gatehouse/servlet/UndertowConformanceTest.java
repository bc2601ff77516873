package io.gatehouse.servlet;

import io.gatehouse.config.Gatehouse;
import io.gatehouse.conformance.AdapterConformanceTest;
import jakarta.servlet.ServletContainerInitializer;
import java.util.List;

/**
 * The conformance kit against embedded Undertow 2.3 (Servlet 6.0), the filter registered by
 * {@link GatehouseFilter#register} from a {@link ServletContainerInitializer}.
 */
class UndertowConformanceTest extends AdapterConformanceTest {

    /** Servlet 6.0 has only {@code sendRedirect(String)}. */
    @Override
    protected List<String> redirectForms() {
        return List.of("plain");
    }

    /**
     * Undertow's chunk decoder reads a size that is not hexadecimal as 0, then fails on what follows
     * as trailers and closes the connection inside the filter's read, so no one can answer 400.
     */
    @Override
    protected boolean answersBadChunkSize() {
        return false;
    }

    /** Undertow writes a servlet {@code Cookie}'s {@code SameSite} only through its own cookie type (2.3.26). */
    @Override
    protected boolean writesSameSiteOfFrameworkCookies() {
        return false;
    }

    @Override
    protected Server start(Gatehouse gatehouse, App app, Listen listen) throws Exception {
        ServletContainerInitializer gatehouseFirst = (classes, context) -> GatehouseFilter.register(context, gatehouse);
        return EmbeddedUndertow.start(gatehouseFirst, new ConformanceServlet(app), listen, gatehouse.config().readTimeoutSeconds());
    }
}
