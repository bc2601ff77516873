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

    /** 31^k and M64^k for k = 0..20, for the unrolled hash and the constant-length suffix. */
    private static final int[] POW31 = new int[21];
    private static final long[] POW64 = new long[21];
    /** Hashes of {@code "THH:mm:00"} (9 characters) for each minute of the day, 32- and 64-bit. */
    private static final int[] TIME31 = new int[1440];
    private static final long[] TIME64 = new long[1440];
    /** The hashes of {@code "-yyyy-MM-dd"} for the last day asked about (replaced once a day). */
    private static volatile DayHash lastDay = new DayHash(Long.MIN_VALUE, 0, 0);

    private record DayHash(long epochDay, int h31, long h64) {
    }

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

    private static DayHash day(long epochDay) {
        DayHash d = lastDay;
        if (d.epochDay() != epochDay) {
            long packed = minute(epochDay * 86_400_000L);
            int h31 = '-';
            long h64 = '-';
            for (int k = 0; k < 10; k++) {
                char c = minuteChar(packed, k);
                h31 = 31 * h31 + c;
                h64 = h64 * M64 + c;
            }
            d = new DayHash(epochDay, h31, h64);
            lastDay = d;
        }
        return d;
    }

    /**
     * PostHog's hash of {@code url + "-" + minute} over code points, mod 2^32 (the URL's part
     * remembered per {@code String} instance, see {@link UrlHashes}):
     * {@code h(key) = h(url) * 31^20 + h("-yyyy-MM-dd") * 31^9 + h("THH:mm:00")}. The URL is hashed
     * eight characters at a time while none is a surrogate (one comparison for all eight), else four
     * code points at a time; both break the multiply-add dependency chain. The date part is cached
     * per day and the time part comes from a table, so no minute is ever printed.
     */
    static int hash32(CharSequence url, long epochMillis) {
        CharSequence u = url == null ? NONE : url;
        int h = u instanceof String s ? URL_HASHES.hash(s) : urlHash32(u);
        long epochDay = Math.floorDiv(epochMillis, 86_400_000L);
        int minuteOfDay = (int) (Math.floorMod(epochMillis, 86_400_000L) / 60_000L);
        return h * POW31[MINUTE_CHARS + 1] + day(epochDay).h31() * POW31[9] + TIME31[minuteOfDay];
    }

    /** URL hashes remembered per {@code String} instance. */
    private static final UrlHashes URL_HASHES = new UrlHashes();

    /**
     * The 32-bit URL hash of recently seen {@code String} instances: the endpoint hands the sampler
     * the shared instance of a repeated document URL (see {@code StringCache}), and a page that
     * reports again is then not hashed again. Keyed by identity, so nothing but the same instance
     * can hit. An instance is remembered on its second miss in a row at its slot, so URLs seen once
     * cost no allocation; URLs longer than {@code StringCache.MAX_LENGTH} are never kept.
     * Thread-safe: entries are immutable; a lost race only loses an entry.
     */
    static final class UrlHashes {
        private static final int BITS = 8;

        private record Entry(String url, int hash) {
        }

        private final Entry[] slots = new Entry[1 << BITS];
        private final int[] seen = new int[1 << BITS];

        int hash(String url) {
            if (url.length() > StringCache.MAX_LENGTH) {
                // Longer values are never shared instances; nothing that large is kept.
                return urlHash32(url);
            }
            int id = System.identityHashCode(url);
            int slot = (id * 0x9E3779B9) >>> (32 - BITS);
            Entry e = slots[slot];
            if (e != null && e.url == url) {
                return e.hash;
            }
            int h = urlHash32(url);
            if (seen[slot] == id) {
                slots[slot] = new Entry(url, h);
            } else {
                seen[slot] = id;
            }
            return h;
        }
    }

    /** The code-point hash of {@code u}, mod 2^32. */
    static int urlHash32(CharSequence u) {
        int h = 0;
        int n = u.length();
        int i = 0;
        while (i < n) {
            if (i + 8 <= n) {
                char c0 = u.charAt(i);
                char c1 = u.charAt(i + 1);
                char c2 = u.charAt(i + 2);
                char c3 = u.charAt(i + 3);
                char c4 = u.charAt(i + 4);
                char c5 = u.charAt(i + 5);
                char c6 = u.charAt(i + 6);
                char c7 = u.charAt(i + 7);
                if (Math.max(Math.max(Math.max(c0, c1), Math.max(c2, c3)), Math.max(Math.max(c4, c5), Math.max(c6, c7)))
                        < Character.MIN_SURROGATE) {
                    h = h * POW31[8] + c0 * POW31[7] + c1 * POW31[6] + c2 * POW31[5] + c3 * POW31[4]
                            + c4 * POW31[3] + c5 * POW31[2] + c6 * 31 + c7;
                    i += 8;
                    continue;
                }
                // A surrogate among them: four code points (at most eight chars) per step instead,
                // up to four steps while there is room: text with one surrogate is likely to have
                // more, and a failed eight-char check is wasted work.
                for (int k = 0; k < 4 && i + 8 <= n; k++) {
                    int cp0 = codePointAt(u, i);
                    i += Character.charCount(cp0);
                    int cp1 = codePointAt(u, i);
                    i += Character.charCount(cp1);
                    int cp2 = codePointAt(u, i);
                    i += Character.charCount(cp2);
                    int cp3 = codePointAt(u, i);
                    i += Character.charCount(cp3);
                    h = h * POW31[4] + cp0 * POW31[3] + cp1 * POW31[2] + cp2 * 31 + cp3;
                }
                continue;
            }
            int cp = codePointAt(u, i);
            i += Character.charCount(cp);
            h = 31 * h + cp;
        }
        return h;
    }

    /** The same key hashed with a 64-bit multiplier, computed the same way. */
    static long hash64(CharSequence url, long epochMillis) {
        CharSequence u = url == null ? NONE : url;
        long h = 0;
        int n = u.length();
        int i = 0;
        while (i < n) {
            if (i + 8 <= n) {
                char c0 = u.charAt(i);
                char c1 = u.charAt(i + 1);
                char c2 = u.charAt(i + 2);
                char c3 = u.charAt(i + 3);
                char c4 = u.charAt(i + 4);
                char c5 = u.charAt(i + 5);
                char c6 = u.charAt(i + 6);
                char c7 = u.charAt(i + 7);
                if (Math.max(Math.max(Math.max(c0, c1), Math.max(c2, c3)), Math.max(Math.max(c4, c5), Math.max(c6, c7)))
                        < Character.MIN_SURROGATE) {
                    h = h * POW64[8] + c0 * POW64[7] + c1 * POW64[6] + c2 * POW64[5] + c3 * POW64[4]
                            + c4 * POW64[3] + c5 * POW64[2] + c6 * M64 + c7;
                    i += 8;
                    continue;
                }
                // A surrogate among them: four code points (at most eight chars) per step instead,
                // up to four steps while there is room: text with one surrogate is likely to have
                // more, and a failed eight-char check is wasted work.
                for (int k = 0; k < 4 && i + 8 <= n; k++) {
                    int cp0 = codePointAt(u, i);
                    i += Character.charCount(cp0);
                    int cp1 = codePointAt(u, i);
                    i += Character.charCount(cp1);
                    int cp2 = codePointAt(u, i);
                    i += Character.charCount(cp2);
                    int cp3 = codePointAt(u, i);
                    i += Character.charCount(cp3);
                    h = h * POW64[4] + cp0 * POW64[3] + cp1 * POW64[2] + cp2 * M64 + cp3;
                }
                continue;
            }
            int cp = codePointAt(u, i);
            i += Character.charCount(cp);
            h = h * M64 + cp;
        }
        long epochDay = Math.floorDiv(epochMillis, 86_400_000L);
        int minuteOfDay = (int) (Math.floorMod(epochMillis, 86_400_000L) / 60_000L);
        return h * POW64[MINUTE_CHARS + 1] + day(epochDay).h64() * POW64[9] + TIME64[minuteOfDay];
    }

    /** The code point at {@code i}: a valid surrogate pair as one, any other char as itself. */
    private static int codePointAt(CharSequence u, int i) {
        char c = u.charAt(i);
        if (Character.isHighSurrogate(c) && i + 1 < u.length()) {
            char d = u.charAt(i + 1);
            if (Character.isLowSurrogate(d)) {
                return Character.toCodePoint(c, d);
            }
        }
        return c;
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
