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

/** The two samplers and the allocation-free key hashing they share. */
final class Samplers {
    static final CspSampler POSTHOG = new CspSampler() {
        @Override
        public boolean keep(CharSequence url, long epochMillis, double rate) {
            long h = Integer.toUnsignedLong(hash32(url, epochMillis));
            return h % 10_000 < Math.rint(rate * 10_000);
        }

        @Override
        public String toString() {
            return "CspSampler.posthog()";
        }
    };

    static final CspSampler MIXED = new CspSampler() {
        @Override
        public boolean keep(CharSequence url, long epochMillis, double rate) {
            return (mix64(hash64(url, epochMillis)) >>> 11) * 0x1.0p-53 < rate;
        }

        @Override
        public String toString() {
            return "CspSampler.mixed()";
        }
    };

    /** Length of the printed minute, {@code yyyy-MM-ddTHH:mm:00}. */
    static final int MINUTE_CHARS = 19;
    private static final String NONE = "None";
    private static final long M64 = 0x9E3779B97F4A7C15L;

    private Samplers() {
    }

    /** 31^k and M64^k for k = 0..20, for the unrolled hash and the constant-length suffix. */
    private static final int[] POW31 = new int[21];
    private static final long[] POW64 = new long[21];

    static {
        POW31[0] = 1;
        POW64[0] = 1;
        for (int k = 1; k <= 20; k++) {
            POW31[k] = POW31[k - 1] * 31;
            POW64[k] = POW64[k - 1] * M64;
        }
    }

    /**
     * PostHog's hash of {@code url + "-" + minute} over code points, mod 2^32. The URL part is
     * hashed four characters at a time (no surrogates among them) to break the multiply-add
     * dependency chain; the 20-character suffix is a dot product with powers of 31:
     * {@code h(key) = h(url) * 31^20 + h(suffix)}.
     */
    static int hash32(CharSequence url, long epochMillis) {
        CharSequence u = url == null ? NONE : url;
        int h = 0;
        int n = u.length();
        int i = 0;
        while (i < n) {
            if (i + 4 <= n) {
                char c0 = u.charAt(i);
                char c1 = u.charAt(i + 1);
                char c2 = u.charAt(i + 2);
                char c3 = u.charAt(i + 3);
                if (!Character.isSurrogate(c0) && !Character.isSurrogate(c1) && !Character.isSurrogate(c2)
                        && !Character.isSurrogate(c3)) {
                    h = h * 923_521 + c0 * 29_791 + c1 * 961 + c2 * 31 + c3;
                    i += 4;
                    continue;
                }
            }
            char c = u.charAt(i++);
            int cp = c;
            if (Character.isHighSurrogate(c) && i < n && Character.isLowSurrogate(u.charAt(i))) {
                cp = Character.toCodePoint(c, u.charAt(i++));
            }
            h = 31 * h + cp;
        }
        long minute = minute(epochMillis);
        int suffix = '-' * POW31[MINUTE_CHARS];
        for (int k = 0; k < MINUTE_CHARS; k++) {
            suffix += minuteChar(minute, k) * POW31[MINUTE_CHARS - 1 - k];
        }
        return h * POW31[MINUTE_CHARS + 1] + suffix;
    }

    /** The same key hashed with a 64-bit multiplier, unrolled the same way. */
    static long hash64(CharSequence url, long epochMillis) {
        CharSequence u = url == null ? NONE : url;
        long h = 0;
        int n = u.length();
        int i = 0;
        while (i < n) {
            if (i + 4 <= n) {
                char c0 = u.charAt(i);
                char c1 = u.charAt(i + 1);
                char c2 = u.charAt(i + 2);
                char c3 = u.charAt(i + 3);
                if (!Character.isSurrogate(c0) && !Character.isSurrogate(c1) && !Character.isSurrogate(c2)
                        && !Character.isSurrogate(c3)) {
                    h = h * POW64[4] + c0 * POW64[3] + c1 * POW64[2] + c2 * M64 + c3;
                    i += 4;
                    continue;
                }
            }
            char c = u.charAt(i++);
            int cp = c;
            if (Character.isHighSurrogate(c) && i < n && Character.isLowSurrogate(u.charAt(i))) {
                cp = Character.toCodePoint(c, u.charAt(i++));
            }
            h = h * M64 + cp;
        }
        long minute = minute(epochMillis);
        long suffix = '-' * POW64[MINUTE_CHARS];
        for (int k = 0; k < MINUTE_CHARS; k++) {
            suffix += minuteChar(minute, k) * POW64[MINUTE_CHARS - 1 - k];
        }
        return h * POW64[MINUTE_CHARS + 1] + suffix;
    }

    static void appendMinute(StringBuilder sb, long epochMillis) {
        long minute = minute(epochMillis);
        for (int i = 0; i < MINUTE_CHARS; i++) {
            sb.append(minuteChar(minute, i));
        }
    }

    /** The UTC minute of {@code epochMillis}, packed {@code year << 20 | month << 16 | day << 11 | hour << 6 | minute}. */
    static long minute(long epochMillis) {
        long days = Math.floorDiv(epochMillis, 86_400_000L);
        int minuteOfDay = (int) (Math.floorMod(epochMillis, 86_400_000L) / 60_000L);
        // Howard Hinnant's civil_from_days.
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long d = doy - (153 * mp + 2) / 5 + 1;
        long m = mp < 10 ? mp + 3 : mp - 9;
        long y = yoe + era * 400 + (m <= 2 ? 1 : 0);
        return (y << 20) | (m << 16) | (d << 11) | ((long) (minuteOfDay / 60) << 6) | (minuteOfDay % 60);
    }

    /** Character {@code i} of the packed minute printed {@code yyyy-MM-dd'T'HH:mm:00} (years 0-9999). */
    static char minuteChar(long minute, int i) {
        int y = (int) (minute >> 20);
        int v;
        switch (i) {
            case 0: v = y / 1000 % 10; break;
            case 1: v = y / 100 % 10; break;
            case 2: v = y / 10 % 10; break;
            case 3: v = y % 10; break;
            case 5: v = (int) (minute >> 16 & 15) / 10; break;
            case 6: v = (int) (minute >> 16 & 15) % 10; break;
            case 8: v = (int) (minute >> 11 & 31) / 10; break;
            case 9: v = (int) (minute >> 11 & 31) % 10; break;
            case 11: v = (int) (minute >> 6 & 31) / 10; break;
            case 12: v = (int) (minute >> 6 & 31) % 10; break;
            case 14: v = (int) (minute & 63) / 10; break;
            case 15: v = (int) (minute & 63) % 10; break;
            case 17: case 18: v = 0; break;
            case 4: case 7: return '-';
            case 10: return 'T';
            default: return ':';
        }
        return (char) ('0' + v);
    }

    /** SplitMix64's finaliser. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
