package io.gatehouse.servlet;

import io.gatehouse.config.Gatehouse;
import io.gatehouse.conformance.AdapterConformanceTest;

/** The conformance kit against embedded Tomcat 11 (Servlet 6.1) with {@link GatehouseFilter}. */
class ServletConformanceTest extends AdapterConformanceTest {

    /** Tomcat drops {@code Content-Length} beside {@code Transfer-Encoding} before any filter runs, and closes the connection after. */
    @Override
    protected boolean refusesContentLengthWithTransferEncoding() {
        return false;
    }

    @Override
    protected Server start(Gatehouse gatehouse, App app, Listen listen) throws Exception {
        return EmbeddedTomcat.start(new GatehouseFilter(gatehouse), new ConformanceServlet(app), 200, listen,
                gatehouse.config().readTimeoutSeconds());
    }
}
