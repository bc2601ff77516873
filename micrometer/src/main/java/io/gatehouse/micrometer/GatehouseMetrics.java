package io.gatehouse.micrometer;

import io.gatehouse.config.Gatehouse;
import io.gatehouse.config.RequestCounters;
import io.gatehouse.csp.CspCounters;
import io.gatehouse.proxy.ClientIp;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Gatehouse's counters as Micrometer meters. Every meter is a {@link FunctionCounter} over the
 * core's own counters, read when the registry publishes: binding adds nothing to a request's path.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>tags</th><th>counts</th></tr>
 *   <tr><td>{@value #DENIED}</td><td>{@code client}: {@code resolved}, {@code unresolved}</td>
 *       <td>requests the IP allow-list answered 403</td></tr>
 *   <tr><td>{@value #HTTPS_REDIRECTS}</td><td></td><td>plain-http requests redirected to https</td></tr>
 *   <tr><td>{@value #UNRESOLVED}</td><td>{@code reason}: {@link ClientIp.Cause#tag()}</td>
 *       <td>requests whose client could not be resolved</td></tr>
 *   <tr><td>{@value #MALFORMED}</td><td>{@code reason}: {@code framing}, {@code host}</td>
 *       <td>requests answered 400 for their framing or their {@code Host}</td></tr>
 *   <tr><td>{@value #TIMEOUTS}</td><td></td><td>requests answered 408 by an adapter's read timeout</td></tr>
 *   <tr><td>{@value #CSP_REPORTS}</td><td></td><td>reports in accepted CSP request bodies, of every type</td></tr>
 *   <tr><td>{@value #CSP_REPORTS_IGNORED}</td><td></td><td>Reporting API reports of other types</td></tr>
 *   <tr><td>{@value #CSP_VIOLATIONS}</td><td>{@code outcome}: {@code accepted}, {@code sampled_out},
 *       {@code dropped_extension}</td><td>CSP violations, by what became of them</td></tr>
 *   <tr><td>{@value #CSP_REJECTED}</td><td>{@code reason}: {@code invalid_payload},
 *       {@code invalid_csp_payload}, {@code too_large}, {@code missing_api_key}, {@code invalid_api_key}</td>
 *       <td>report requests refused (400, 401, 413)</td></tr>
 *   <tr><td>{@value #CSP_SINK_ERRORS}</td><td></td><td>report requests answered 503: the sink refused the events</td></tr>
 *   <tr><td>{@value #CSP_EVENTS_DELIVERED}</td><td></td><td>events a sink wrote or delivered</td></tr>
 *   <tr><td>{@value #CSP_EVENTS_DROPPED}</td><td>{@code reason}: {@code overflow}, {@code delivery_failed}</td>
 *       <td>events a forwarder dropped</td></tr>
 *   <tr><td>{@value #CSP_DELIVERY_RETRIES}</td><td></td><td>deliveries repeated after a 5xx or network error</td></tr>
 * </table>
 */
public final class GatehouseMetrics implements MeterBinder {
    /** Requests the allow-list denied. */
    public static final String DENIED = "gatehouse.allowlist.denied";
    /** Plain-http requests redirected to https. */
    public static final String HTTPS_REDIRECTS = "gatehouse.https.redirects";
    /** Requests whose client was unresolved. */
    public static final String UNRESOLVED = "gatehouse.clients.unresolved";
    /** Requests answered 400 for their framing or {@code Host}. */
    public static final String MALFORMED = "gatehouse.requests.malformed";
    /** Requests answered 408. */
    public static final String TIMEOUTS = "gatehouse.requests.timeouts";
    /** Reports in accepted CSP bodies. */
    public static final String CSP_REPORTS = "gatehouse.csp.reports";
    /** Reports of other types than {@code csp-violation}. */
    public static final String CSP_REPORTS_IGNORED = "gatehouse.csp.reports.ignored";
    /** CSP violations by outcome. */
    public static final String CSP_VIOLATIONS = "gatehouse.csp.violations";
    /** Refused report requests by reason. */
    public static final String CSP_REJECTED = "gatehouse.csp.requests.rejected";
    /** Report requests answered 503. */
    public static final String CSP_SINK_ERRORS = "gatehouse.csp.sink.errors";
    /** Events written or delivered. */
    public static final String CSP_EVENTS_DELIVERED = "gatehouse.csp.events.delivered";
    /** Events dropped by a forwarder. */
    public static final String CSP_EVENTS_DROPPED = "gatehouse.csp.events.dropped";
    /** Repeated deliveries. */
    public static final String CSP_DELIVERY_RETRIES = "gatehouse.csp.delivery.retries";

    private final RequestCounters requests;
    private final CspCounters csp;
    private final Tags tags;

    private GatehouseMetrics(Gatehouse gatehouse, Iterable<Tag> tags) {
        this.requests = gatehouse.requestCounters();
        this.csp = gatehouse.counters();
        this.tags = Tags.of(tags);
    }

    /** The meters of {@code gatehouse}. */
    public static GatehouseMetrics of(Gatehouse gatehouse) {
        return of(gatehouse, Tags.empty());
    }

    /** The meters of {@code gatehouse}, each also carrying {@code tags} (to tell several instances apart). */
    public static GatehouseMetrics of(Gatehouse gatehouse, Iterable<Tag> tags) {
        return new GatehouseMetrics(Objects.requireNonNull(gatehouse, "gatehouse"), Objects.requireNonNull(tags, "tags"));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        request(registry, DENIED, "Requests the IP allow-list answered 403", RequestCounters::deniedResolved, "client", "resolved");
        request(registry, DENIED, "Requests the IP allow-list answered 403", RequestCounters::deniedUnresolved, "client", "unresolved");
        request(registry, HTTPS_REDIRECTS, "Plain-http requests redirected to https", RequestCounters::httpsRedirects);
        for (ClientIp.Cause cause : ClientIp.Cause.values()) {
            request(registry, UNRESOLVED, "Requests whose client address could not be resolved",
                    r -> r.unresolved(cause), "reason", cause.tag());
        }
        request(registry, MALFORMED, "Requests answered 400 for their framing or Host", RequestCounters::malformedFraming,
                "reason", "framing");
        request(registry, MALFORMED, "Requests answered 400 for their framing or Host", RequestCounters::badHost,
                "reason", "host");
        request(registry, TIMEOUTS, "Requests answered 408: not whole within the read timeout", RequestCounters::timedOut);

        csp(registry, CSP_REPORTS, "Reports in accepted CSP request bodies, of every type", CspCounters::reportsReceived);
        csp(registry, CSP_REPORTS_IGNORED, "Reporting API reports of other types than csp-violation", CspCounters::ignoredNonCsp);
        String violations = "CSP violations, by what became of them";
        csp(registry, CSP_VIOLATIONS, violations, CspCounters::eventsAccepted, "outcome", "accepted");
        csp(registry, CSP_VIOLATIONS, violations, CspCounters::sampledOut, "outcome", "sampled_out");
        csp(registry, CSP_VIOLATIONS, violations, CspCounters::droppedExtension, "outcome", "dropped_extension");
        for (String reason : new String[] {"invalid_payload", "invalid_csp_payload", "too_large", "missing_api_key",
                "invalid_api_key"}) {
            csp(registry, CSP_REJECTED, "CSP report requests refused", c -> c.rejected(reason), "reason", reason);
        }
        csp(registry, CSP_SINK_ERRORS, "CSP report requests answered 503: the sink refused the events", CspCounters::sinkErrors);
        csp(registry, CSP_EVENTS_DELIVERED, "CSP events a sink wrote or delivered", CspCounters::eventsDelivered);
        csp(registry, CSP_EVENTS_DROPPED, "CSP events a forwarder dropped", CspCounters::droppedOverflow, "reason", "overflow");
        csp(registry, CSP_EVENTS_DROPPED, "CSP events a forwarder dropped", CspCounters::deliveryFailures,
                "reason", "delivery_failed");
        csp(registry, CSP_DELIVERY_RETRIES, "CSP deliveries repeated after a 5xx or network error", CspCounters::deliveryRetries);
    }

    private void request(MeterRegistry registry, String name, String description, ToDoubleFunction<RequestCounters> f,
                         String... tagPairs) {
        FunctionCounter.builder(name, requests, f).description(description).tags(tags).tags(tagPairs).register(registry);
    }

    private void csp(MeterRegistry registry, String name, String description, ToDoubleFunction<CspCounters> f,
                     String... tagPairs) {
        FunctionCounter.builder(name, csp, f).description(description).tags(tags).tags(tagPairs).register(registry);
    }
}
