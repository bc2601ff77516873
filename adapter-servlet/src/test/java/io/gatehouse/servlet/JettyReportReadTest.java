package io.gatehouse.servlet;

import io.gatehouse.conformance.AdapterConformanceTest;
import jakarta.servlet.Filter;

/** {@link ReportReadCases} on Jetty 12 (its own surefire execution: the Servlet 6.0 API). */
class JettyReportReadTest extends ReportReadCases {
    @Override
    AdapterConformanceTest.Server start(Filter filter, ConformanceServlet servlet) throws Exception {
        return EmbeddedJetty.start(first(filter), servlet, AdapterConformanceTest.Listen.DEFAULT, 10);
    }
}
