package io.gatehouse.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.Gatehouse;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.conformance.AdapterConformanceTest;
import io.gatehouse.conformance.EmbeddedTomcat;
import io.gatehouse.csp.CspCounters;
import io.gatehouse.csp.JsonLinesSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * 2,000 connections open at once on embedded Tomcat 11 (200 request threads), each posting a
 * report: every 204 is an event written, memory stays bounded.
 */
@Timeout(120)
class ServletFloodTest {
    static final int CONNECTIONS = 2000;

    @Test
    void twoThousandConcurrentReportersLoseNothing(@TempDir Path dir) throws Exception {
        Path eventsFile = dir.resolve("events.jsonl");
        CspCounters counters = new CspCounters();
        JsonLinesSink sink = JsonLinesSink.appendingTo(eventsFile, counters);
        Gatehouse g = Gatehouse.builder(GatehouseConfig.fromEnvironment(Map.of("TEST", "1")), sink).counters(counters).build();
        EmbeddedTomcat tomcat = EmbeddedTomcat.start(new GatehouseFilter(g),
                new ServletConformanceTest.AppServlet(new AdapterConformanceTest.App()));
        int port = tomcat.base().getPort();
        int accepted;
        try {
            accepted = io.gatehouse.conformance.AdapterConformanceTest.floodWithBoundedHeap("servlet", port, CONNECTIONS);
        } finally {
            tomcat.close();
            sink.close();
        }
        assertThat(accepted).isEqualTo(CONNECTIONS);
        assertThat(Files.readAllLines(eventsFile)).hasSize(accepted);
        assertThat(counters.eventsAccepted()).isEqualTo(accepted);
        assertThat(counters.eventsDelivered()).isEqualTo(accepted);
    }
}
