package io.gatehouse.csp;

import io.gatehouse.internal.csp.StringCache;

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
     * PostHog's hash of {@code url + "-" + minute} over code points, mod 2^32:
     * {@code h(key) = h(url) * 31^20 + h("-yyyy-MM-dd") * 31^9 + h("THH:mm:00")}. The date part is
     * cached per day and the time part comes from a table, so no minute is ever printed; the URL part
     * is {@link #stringHash32} for a {@code String}, else {@link #urlHash32}.
     */
    static int hash32(CharSequence url, long epochMillis) {
        CharSequence u = url == null ? NONE : url;
        int h = u instanceof String s ? stringHash32(s, STRING_HASH_IS_VECTORISED) : urlHash32(u);
        long epochDay = Math.floorDiv(epochMillis, 86_400_000L);
        int minuteOfDay = (int) (Math.floorMod(epochMillis, 86_400_000L) / 60_000L);
        return h * POW31[MINUTE_CHARS + 1] + day(epochDay).h31() * POW31[9] + TIME31[minuteOfDay];
    }

    /**
     * Whether {@link String#hashCode()} runs vectorised (JDK 21 and later, JDK-8282664): several
     * times faster than any loop written in Java 17 for a URL seen for the first time, and cached in
     * the instance for the next time.
     */
    static final boolean STRING_HASH_IS_VECTORISED = Runtime.version().feature() >= 21;

    /**
     * The code-point hash of {@code s}. {@link String#hashCode()} is specified as the same polynomial
     * over UTF-16 chars, which are the code points when there is no surrogate pair
     * ({@code codePointCount} is constant-time for a Latin-1 string): with {@code useStringHash} (the
     * JDK vectorises it) that is the hash; otherwise, or with a pair, {@link UrlHashes}.
     */
    static int stringHash32(String s, boolean useStringHash) {
        if (useStringHash && s.codePointCount(0, s.length()) == s.length()) {
            return s.hashCode();
        }
        return URL_HASHES.hash(s);
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
     * (A slot from the length and a few chars instead of {@code System.identityHashCode} saves
     * the VM call that an object's first identity hash costs, about 20 ns for a URL the parser
     * has just made, but URLs of one site that differ where the slot does not look then share
     * a slot and are never remembered: measured, it lost more than it saved.)
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

    /**
     * Chars are hashed from a per-thread copy of at most this many (a multiple of 8) at a time:
     * {@code String.getChars} copies in bulk, and a loop over a {@code char[]} compiles the same
     * whatever else the JVM does with strings. (Calling {@code String.charAt} in the loop instead was
     * 3.5 times slower when the JVM had seen a few, but not many, non-Latin-1 strings before: the
     * compiled loop then tests each char's encoding.) The copy is per thread: a virtual thread
     * allocates its own on first use (on JDK 21+ the PostHog sampler needs it only for a URL with a
     * surrogate pair).
     */
    private static final int CHUNK = 256;
    private static final ThreadLocal<char[]> CHARS = ThreadLocal.withInitial(() -> new char[CHUNK]);
    /** A valid surrogate pair's code point is {@code (high << 10) + low - PAIR}. */
    private static final int PAIR = (Character.MIN_HIGH_SURROGATE << 10) + Character.MIN_LOW_SURROGATE
            - Character.MIN_SUPPLEMENTARY_CODE_POINT;
    private static final int P2 = 31 * 31;
    private static final int P4 = P2 * P2;
    private static final int P8 = P4 * P4;

    /** The code-point hash of {@code u}, mod 2^32. */
    static int urlHash32(CharSequence u) {
        int n = u.length();
        if (n <= CHUNK) {
            // In one piece: the loop over chunks measured 6 ns slower for 100 chars.
            return continue32(chars(u, 0, n), n, 0, (char) 0);
        }
        int h = 0;
        char before = 0;
        for (int from = 0; from < n; from += CHUNK) {
            int length = Math.min(CHUNK, n - from);
            char[] b = chars(u, from, length);
            h = continue32(b, length, h, before);
            before = b[length - 1];
        }
        return h;
    }

    /**
     * Continues hash {@code h} over {@code b[0..n)}, eight chars a step while none is a surrogate,
     * which breaks the multiply-add dependency chain, then char by char from the first surrogate
     * on (text with one pair tends to have more: checking each block again measured 13% slower on
     * text with an emoji every ten chars); {@code before} is the char before {@code b[0]}.
     */
    private static int continue32(char[] b, int n, int h, char before) {
        int i = 0;
        for (int limit = n - 7; i < limit; i += 8) {
            int c0 = b[i];
            int c1 = b[i + 1];
            int c2 = b[i + 2];
            int c3 = b[i + 3];
            int c4 = b[i + 4];
            int c5 = b[i + 5];
            int c6 = b[i + 6];
            int c7 = b[i + 7];
            int p01 = 31 * c0 + c1;
            int p23 = 31 * c2 + c3;
            int p45 = 31 * c4 + c5;
            int p67 = 31 * c6 + c7;
            // 31a + b < 0xD800 implies a, b < 0xD800: no surrogate (one test for Latin-1 and most
            // BMP text), else the test of each char (CJK text passes it), else char by char from
            // here on.
            if ((p01 | p23 | p45 | p67) < Character.MIN_SURROGATE || !mayHaveSurrogate(c0, c1, c2, c3, c4, c5, c6, c7)) {
                h = h * P8 + (p01 * P2 + p23) * P4 + p45 * P2 + p67;
            } else {
                break;
            }
        }
        return serial32(b, i, n, h, i == 0 ? before : b[i - 1]);
    }

    /**
     * Chars {@code from..to} one step each, except that a low surrogate right after a high one
     * turns the pair's two steps into its code point's one: {@code 31h + high} becomes
     * {@code 31h + codePoint} by adding {@code codePoint - high}. Unpaired surrogates count as
     * themselves, as {@code String.codePointAt} has it.
     */
    private static int serial32(char[] b, int from, int to, int h, char before) {
        char prev = before;
        for (int j = from; j < to; j++) {
            char c = b[j];
            h = Character.isLowSurrogate(c) && Character.isHighSurrogate(prev) ? h + prev * 1023 + c - PAIR : 31 * h + c;
            prev = c;
        }
        return h;
    }

    /**
     * Whether any char is {@code >= 0xD800} (a surrogate, or private use and the like above them):
     * bit 16 of {@code c + 0x2800} is set exactly then.
     */
    private static boolean mayHaveSurrogate(int c0, int c1, int c2, int c3, int c4, int c5, int c6, int c7) {
        int d = 0x10000 - Character.MIN_SURROGATE;
        return (((c0 + d) | (c1 + d) | (c2 + d) | (c3 + d) | (c4 + d) | (c5 + d) | (c6 + d) | (c7 + d)) & 0x10000) != 0;
    }

    /** {@code u[from, from + length)} at the start of this thread's copy, copied in bulk where the type allows. */
    private static char[] chars(CharSequence u, int from, int length) {
        char[] b = CHARS.get();
        if (u instanceof String s) {
            s.getChars(from, from + length, b, 0);
        } else if (u instanceof StringBuilder sb) {
            sb.getChars(from, from + length, b, 0);
        } else {
            for (int k = 0; k < length; k++) {
                b[k] = u.charAt(from + k);
            }
        }
        return b;
    }

    /** The same key hashed with a 64-bit multiplier, the URL part computed the same way. */
    static long hash64(CharSequence url, long epochMillis) {
        CharSequence u = url == null ? NONE : url;
        int n = u.length();
        long h = 0;
        if (n <= CHUNK) {
            h = continue64(chars(u, 0, n), n, 0, (char) 0);
        } else {
            char before = 0;
            for (int from = 0; from < n; from += CHUNK) {
                int length = Math.min(CHUNK, n - from);
                char[] b = chars(u, from, length);
                h = continue64(b, length, h, before);
                before = b[length - 1];
            }
        }
        long epochDay = Math.floorDiv(epochMillis, 86_400_000L);
        int minuteOfDay = (int) (Math.floorMod(epochMillis, 86_400_000L) / 60_000L);
        return h * POW64[MINUTE_CHARS + 1] + day(epochDay).h64() * POW64[9] + TIME64[minuteOfDay];
    }

    /** As {@link #continue32}, with the 64-bit multiplier (one test of the chars' OR per step). */
    private static long continue64(char[] b, int n, long h, char before) {
        int i = 0;
        for (int limit = n - 7; i < limit; i += 8) {
            int c0 = b[i];
            int c1 = b[i + 1];
            int c2 = b[i + 2];
            int c3 = b[i + 3];
            int c4 = b[i + 4];
            int c5 = b[i + 5];
            int c6 = b[i + 6];
            int c7 = b[i + 7];
            if ((c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7) < Character.MIN_SURROGATE || !mayHaveSurrogate(c0, c1, c2, c3, c4, c5, c6, c7)) {
                h = h * POW64[8] + c0 * POW64[7] + c1 * POW64[6] + c2 * POW64[5] + c3 * POW64[4]
                        + c4 * POW64[3] + c5 * POW64[2] + c6 * M64 + c7;
            } else {
                break;
            }
        }
        return serial64(b, i, n, h, i == 0 ? before : b[i - 1]);
    }

    private static long serial64(char[] b, int from, int to, long h, char before) {
        char prev = before;
        for (int j = from; j < to; j++) {
            char c = b[j];
            // As serial32: h * M + high becomes h * M + codePoint.
            h = Character.isLowSurrogate(c) && Character.isHighSurrogate(prev) ? h + prev * 1023L + c - PAIR : h * M64 + c;
            prev = c;
        }
        return h;
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
