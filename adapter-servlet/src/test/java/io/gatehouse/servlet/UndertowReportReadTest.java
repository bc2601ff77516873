package io.gatehouse.servlet;

import io.gatehouse.conformance.AdapterConformanceTest;
import jakarta.servlet.Filter;

/** {@link ReportReadCases} on Undertow 2.3 (its own surefire execution: the Servlet 6.0 API). */
class UndertowReportReadTest extends ReportReadCases {
    @Override
    AdapterConformanceTest.Server start(Filter filter, ConformanceServlet servlet) throws Exception {
        return EmbeddedUndertow.start(first(filter), servlet, AdapterConformanceTest.Listen.DEFAULT, 10);
    }
}
