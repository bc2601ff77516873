package io.gatehouse.servlet;

import io.gatehouse.conformance.AdapterConformanceTest;
import jakarta.servlet.Filter;

/** {@link ReportReadCases} on Tomcat 11. */
class ServletReportReadTest extends ReportReadCases {
    @Override
    AdapterConformanceTest.Server start(Filter filter, ConformanceServlet servlet) throws Exception {
        return EmbeddedTomcat.start(filter, servlet);
    }
}
