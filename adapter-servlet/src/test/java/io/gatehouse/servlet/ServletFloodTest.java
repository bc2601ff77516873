package io.gatehouse.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.Gatehouse;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.conformance.AdapterConformanceTest;
import io.gatehouse.conformance.EmbeddedTomcat;
import io.gatehouse.csp.CspCounters;
import io.gatehouse.csp.JsonLinesSink;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        long heapBefore = io.gatehouse.conformance.AdapterConformanceTest.usedHeapAfterGc();
        List<Socket> sockets = new ArrayList<>(CONNECTIONS);
        int accepted = 0;
        try {
            accepted = io.gatehouse.conformance.AdapterConformanceTest.floodReports(port, CONNECTIONS, sockets);
            long heapAfter = io.gatehouse.conformance.AdapterConformanceTest.usedHeapAfterGc();
            System.out.printf("servlet flood: %d connections, %d answered 204, heap after GC %d MiB before, %d MiB with all open%n",
                    CONNECTIONS, accepted, heapBefore >> 20, heapAfter >> 20);
            assertThat(heapAfter - heapBefore).as("heap growth with %d open connections", CONNECTIONS).isLessThan(256L << 20);
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
            tomcat.close();
            sink.close();
        }
        assertThat(accepted).isEqualTo(CONNECTIONS);
        assertThat(Files.readAllLines(eventsFile)).hasSize(accepted);
        assertThat(counters.eventsAccepted()).isEqualTo(accepted);
        assertThat(counters.eventsDelivered()).isEqualTo(accepted);
    }
}
