package io.gatehouse.csp;

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

    /** 31^k and M64^k for k = 0..20, for the constant-length suffix. */
    private static final int[] POW31 = new int[21];
    private static final long[] POW64 = new long[21];
    /** Hashes of {@code "THH:mm:00"} (9 characters) for each minute of the day, 32- and 64-bit. */
    private static final int[] TIME31 = new int[1440];
    private static final long[] TIME64 = new long[1440];

    static {
        POW31[0] = 1;
        POW64[0] = 1;
        for (int k = 1; k <= 20; k++) {
            POW31[k] = POW31[k - 1] * 31;
            POW64[k] = POW64[k - 1] * M64;
        }
        for (int m = 0; m < 1440; m++) {
            long packed = ((long) (m / 60) << 6) | (m % 60);
            int h31 = 0;
            long h64 = 0;
            for (int k = 10; k < MINUTE_CHARS; k++) {
                char c = minuteChar(packed, k);
                h31 = 31 * h31 + c;
                h64 = h64 * M64 + c;
            }
            TIME31[m] = h31;
            TIME64[m] = h64;
        }
    }

    /** The hash of {@code "-yyyy-MM-dd"} for the day {@code epochDay}, 32-bit. */
    private static int day31(long epochDay) {
        long packed = minute(epochDay * 86_400_000L);
        int h = '-';
        for (int k = 0; k < 10; k++) {
            h = 31 * h + minuteChar(packed, k);
        }
        return h;
    }

    /** The hash of {@code "-yyyy-MM-dd"} for the day {@code epochDay}, 64-bit. */
    private static long day64(long epochDay) {
        long packed = minute(epochDay * 86_400_000L);
        long h = '-';
        for (int k = 0; k < 10; k++) {
            h = h * M64 + minuteChar(packed, k);
        }
        return h;
    }

    /**
     * PostHog's hash of {@code url + "-" + minute} over code points, mod 2^32:
     * {@code h(key) = h(url) * 31^20 + h("-yyyy-MM-dd") * 31^9 + h("THH:mm:00")}, so no minute is
     * ever printed.
     */
    static int hash32(CharSequence url, long epochMillis) {
        int h = urlHash32(url == null ? NONE : url);
        long epochDay = Math.floorDiv(epochMillis, 86_400_000L);
        int minuteOfDay = (int) (Math.floorMod(epochMillis, 86_400_000L) / 60_000L);
        return h * POW31[MINUTE_CHARS + 1] + day31(epochDay) * POW31[9] + TIME31[minuteOfDay];
    }

    /** A valid surrogate pair's code point is {@code (high << 10) + low - PAIR}. */
    private static final int PAIR = (Character.MIN_HIGH_SURROGATE << 10) + Character.MIN_LOW_SURROGATE
            - Character.MIN_SUPPLEMENTARY_CODE_POINT;

    /**
     * The code-point hash of {@code u}, mod 2^32: a low surrogate right after a high one turns the
     * pair's two steps into its code point's one ({@code 31h + high} becomes {@code 31h + codePoint}
     * by adding {@code codePoint - high}); unpaired surrogates count as themselves, as
     * {@code String.codePointAt} has it.
     */
    static int urlHash32(CharSequence u) {
        int h = 0;
        char prev = 0;
        for (int j = 0; j < u.length(); j++) {
            char c = u.charAt(j);
            h = Character.isLowSurrogate(c) && Character.isHighSurrogate(prev) ? h + prev * 1023 + c - PAIR : 31 * h + c;
            prev = c;
        }
        return h;
    }

    /** The same key hashed with a 64-bit multiplier, the URL part computed the same way. */
    static long hash64(CharSequence url, long epochMillis) {
        CharSequence u = url == null ? NONE : url;
        long h = 0;
        char prev = 0;
        for (int j = 0; j < u.length(); j++) {
            char c = u.charAt(j);
            // As urlHash32: h * M + high becomes h * M + codePoint.
            h = Character.isLowSurrogate(c) && Character.isHighSurrogate(prev) ? h + prev * 1023L + c - PAIR : h * M64 + c;
            prev = c;
        }
        long epochDay = Math.floorDiv(epochMillis, 86_400_000L);
        int minuteOfDay = (int) (Math.floorMod(epochMillis, 86_400_000L) / 60_000L);
        return h * POW64[MINUTE_CHARS + 1] + day64(epochDay) * POW64[9] + TIME64[minuteOfDay];
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
