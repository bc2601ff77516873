package io.gatehouse.ip;

import org.jspecify.annotations.Nullable;

/**
 * A reusable address holder for allocation-free hot paths (one per thread or connection, never
 * shared across threads). {@link #parse} reads request data as {@link IpAddress#tryParse} does,
 * without creating anything.
 */
public final class MutableIpAddress {
    private long hi;
    private long lo;
    private boolean valid;
    private final IpParser.Target target = new IpParser.Target() {
        @Override
        public int v4(int address) {
            hi = 0;
            lo = IpAddress.MAPPED_PREFIX | Integer.toUnsignedLong(address);
            return 0;
        }

        @Override
        public int v6(long h, long l) {
            hi = h;
            lo = l;
            return 0;
        }
    };

    /** An empty holder. */
    public MutableIpAddress() {
    }

    /**
     * Parses {@code text[from, to)} as an IP literal from request data (a zone id is ignored).
     *
     * @return whether it parsed; when not, the holder is empty
     */
    public boolean parse(CharSequence text, int from, int to) {
        return parse(text, from, to, true) >= 0;
    }

    /**
     * Parses the strict IPv4 dotted quad that ends just before {@code end}, reading leftwards no
     * further than {@code from}: the hot path for walking a comma-separated list from the right in
     * one pass. The quad is the longest run of digits and dots before {@code end}; it must be exactly
     * what {@link #parse} accepts as IPv4.
     *
     * @return the index where the quad starts, or -1 when the text before {@code end} is not such a
     *     quad (then the holder is unchanged, so a caller can fall back to {@link #parse})
     */
    public int parseIpv4Before(CharSequence text, int from, int end) {
        if (from < 0 || end > text.length() || from > end) {
            throw new IndexOutOfBoundsException("range [" + from + ", " + end + ") of a " + text.length()
                    + "-character text");
        }
        long r = IpParser.parseV4Backward(text, from, end);
        if (r < 0) {
            return -1;
        }
        hi = 0;
        lo = IpAddress.MAPPED_PREFIX | (r & 0xffff_ffffL);
        valid = true;
        return (int) (r >>> 32);
    }

    /** Parses with or without zone ids; returns the parser's code (negative: the packed error). */
    int parse(CharSequence text, int from, int to, boolean allowZone) {
        int code = IpParser.parse(text, from, to, allowZone, target);
        valid = code >= 0;
        return code;
    }

    /** Holds {@code address}. */
    public void set(IpAddress address) {
        hi = address.high();
        lo = address.low();
        valid = true;
    }

    /** Empties the holder. */
    public void clear() {
        valid = false;
    }

    /** Whether the holder holds an address. */
    public boolean isSet() {
        return valid;
    }

    /** True for IPv4 (including IPv4-mapped). */
    public boolean isIpv4() {
        return hi == 0 && (lo >>> 32) == 0xffffL;
    }

    /** The high 64 bits (see {@link IpAddress#high()}). */
    public long high() {
        return hi;
    }

    /** The low 64 bits (see {@link IpAddress#low()}). */
    public long low() {
        return lo;
    }

    /** An immutable copy. */
    public IpAddress toIpAddress() {
        if (!valid) {
            throw new IllegalStateException("no address held");
        }
        return IpAddress.of128(hi, lo);
    }

    /** Whether it holds the same address as {@code address}. */
    public boolean sameAs(@Nullable IpAddress address) {
        return valid && address != null && address.high() == hi && address.low() == lo;
    }

    @Override
    public String toString() {
        return valid ? IpAddress.of128(hi, lo).toString() : "(empty)";
    }
}
