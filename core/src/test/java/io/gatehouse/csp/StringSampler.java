package io.gatehouse.csp;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The straightforward String-building PostHog sampler: the test oracle (and the benchmark's peer). */
final class StringSampler {
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:00").withZone(ZoneOffset.UTC);

    private StringSampler() {
    }

    static String key(String url, long epochMillis) {
        return (url == null ? "None" : url) + "-" + MINUTE.format(Instant.ofEpochMilli(epochMillis));
    }

    static long hash(String key) {
        long h = 0;
        for (int cp : key.codePoints().toArray()) {
            h = (31 * h + cp) % (1L << 32);
        }
        return h;
    }

    /** The mixed sampler's hash of {@code key}: the same polynomial with a 64-bit multiplier, no modulus. */
    static long hash64(String key) {
        long h = 0;
        for (int cp : key.codePoints().toArray()) {
            h = h * 0x9E3779B97F4A7C15L + cp;
        }
        return h;
    }

    static boolean keep(String url, long epochMillis, double rate) {
        return hash(key(url, epochMillis)) % 10_000 < Math.rint(rate * 10_000);
    }
}
