/**
 * The {@code $csp_violation} event, the sink SPI ({@link io.gatehouse.csp.sink.CspEventSink}: accept or
 * refuse for back-pressure, report deliveries through {@link io.gatehouse.csp.sink.SinkMetrics}) and the
 * provided sinks: JSON lines, an asynchronous wrapper and PostHog's capture API.
 */
@NullMarked
package io.gatehouse.csp.sink;

import org.jspecify.annotations.NullMarked;
