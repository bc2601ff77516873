/**
 * The CSP report endpoint: PostHog's {@code /report/} answers, reading a report body as it arrives
 * ({@link io.gatehouse.csp.ReportBody}), PostHog's deterministic sampling ({@link io.gatehouse.csp.CspSampler})
 * and the endpoint's counters. Accepted events go to a sink of {@link io.gatehouse.csp.sink}.
 */
@NullMarked
package io.gatehouse.csp;

import org.jspecify.annotations.NullMarked;
