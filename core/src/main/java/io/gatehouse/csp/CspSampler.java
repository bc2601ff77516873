package io.gatehouse.csp;

/**
 * Decides which CSP violations to keep at a sample rate. The key is
 * {@code documentUrl + "-" + minute}, the minute being the server's UTC time truncated to the
 * minute and printed {@code yyyy-MM-dd'T'HH:mm:00} (a null URL prints as {@code None}); the
 * directive is not part of it, so every report of one page in one minute gets one decision. The key
 * is hashed as it is generated: no {@code String}, no formatter, no allocation.
 */
public interface CspSampler {

    /**
     * Whether to keep a violation of {@code documentUrl} at {@code epochMillis}, for a rate strictly
     * between 0 and 1 (the endpoint keeps all at 1 or more and drops all at 0 or less).
     */
    boolean keep(CharSequence documentUrl, long epochMillis, double rate);

    /**
     * PostHog's sampler, decision for decision: {@code h = (31*h + codePoint) mod 2^32} over the
     * key's Unicode code points, read as unsigned; keep when {@code h % 10000 < rint(rate * 10000)}.
     * The default, for compatibility. Its hash barely mixes: one URL gets the same decision for most
     * minutes of a ten-minute span.
     */
    static CspSampler posthog() {
        return Samplers.POSTHOG;
    }

    /**
     * A well-mixed sampler: a 64-bit polynomial hash of the same key through the SplitMix64
     * finaliser, kept when the top 53 bits as a fraction are below the rate. Decisions for one URL
     * are independent from minute to minute.
     */
    static CspSampler mixed() {
        return Samplers.MIXED;
    }

    /** PostHog's 32-bit key hash, unsigned. */
    static long posthogHash(CharSequence documentUrl, long epochMillis) {
        return Integer.toUnsignedLong(Samplers.hash32(documentUrl, epochMillis));
    }

    /** The sampling key as text ({@code $csp_csp_sampling_key}); allocates, for kept events only. */
    static String key(CharSequence documentUrl, long epochMillis) {
        StringBuilder sb = new StringBuilder(documentUrl == null ? 24 : documentUrl.length() + 21);
        sb.append(documentUrl == null ? "None" : documentUrl).append('-');
        Samplers.appendMinute(sb, epochMillis);
        return sb.toString();
    }
}
