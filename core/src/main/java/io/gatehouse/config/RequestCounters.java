package io.gatehouse.config;

import io.gatehouse.proxy.ClientIp;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What {@link Gatehouse#decide} decided, counted where it decides: requests the allow-list denied,
 * https redirects, clients left unresolved (by {@link ClientIp.Cause}), and requests answered 400 or
 * 408 for their framing, {@code Host} or timing. Counting costs one {@link LongAdder} increment on
 * the path that answers (nothing on a request that proceeds with a resolved client); reading sums
 * them. The CSP endpoint's counters are {@link Gatehouse#counters()}. Thread-safe.
 */
public final class RequestCounters {
    private final LongAdder deniedResolved = new LongAdder();
    private final LongAdder deniedUnresolved = new LongAdder();
    private final LongAdder httpsRedirects = new LongAdder();
    private final LongAdder malformedFraming = new LongAdder();
    private final LongAdder badHost = new LongAdder();
    private final LongAdder timedOut = new LongAdder();
    private final LongAdder[] unresolved = new LongAdder[ClientIp.Cause.values().length];

    RequestCounters() {
        for (int i = 0; i < unresolved.length; i++) {
            unresolved[i] = new LongAdder();
        }
    }

    void countDenied(ClientIp client) {
        (client instanceof ClientIp.Resolved ? deniedResolved : deniedUnresolved).increment();
    }

    void countHttpsRedirect() {
        httpsRedirects.increment();
    }

    void countMalformedFraming() {
        malformedFraming.increment();
    }

    void countBadHost() {
        badHost.increment();
    }

    void countTimedOut() {
        timedOut.increment();
    }

    void countUnresolved(ClientIp.Cause cause) {
        unresolved[cause.ordinal()].increment();
    }

    /** Requests the allow-list answered 403: a client not in {@code ALLOWED_IP_BLOCKS}, or unresolved. */
    public long denied() {
        return deniedResolved.sum() + deniedUnresolved.sum();
    }

    /** Requests the allow-list answered 403 whose client was resolved but is not in {@code ALLOWED_IP_BLOCKS}. */
    public long deniedResolved() {
        return deniedResolved.sum();
    }

    /** Requests the allow-list answered 403 because the client was unresolved (it fails closed). */
    public long deniedUnresolved() {
        return deniedUnresolved.sum();
    }

    /** Plain-http requests redirected to https (301 or 308). */
    public long httpsRedirects() {
        return httpsRedirects.sum();
    }

    /**
     * Requests answered 400 because they could not be framed: {@code Content-Length} and
     * {@code Transfer-Encoding} seen by {@link Gatehouse#decide}, and what an adapter's decoder reports
     * through {@link Gatehouse#malformed()}.
     */
    public long malformedFraming() {
        return malformedFraming.sum();
    }

    /** Plain-http requests answered 400 because their {@code Host} cannot be redirected to. */
    public long badHost() {
        return badHost.sum();
    }

    /** Requests answered 408 through {@link Gatehouse#timedOut()} (an adapter's read timeout). */
    public long timedOut() {
        return timedOut.sum();
    }

    /** Requests whose client was unresolved for {@code cause}, whether or not an allow-list was on. */
    public long unresolved(ClientIp.Cause cause) {
        return unresolved[cause.ordinal()].sum();
    }

    /** Every counter by name, in a stable order ({@code unresolved_<cause>} for each cause). */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("denied_resolved", deniedResolved());
        m.put("denied_unresolved", deniedUnresolved());
        m.put("https_redirects", httpsRedirects());
        m.put("malformed_framing", malformedFraming());
        m.put("bad_host", badHost());
        m.put("timed_out", timedOut());
        for (ClientIp.Cause c : ClientIp.Cause.values()) {
            m.put("unresolved_" + c.tag(), unresolved(c));
        }
        return m;
    }

    @Override
    public String toString() {
        return "RequestCounters" + snapshot();
    }
}
