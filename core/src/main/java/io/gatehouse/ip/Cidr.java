package io.gatehouse.ip;

/**
 * An address block, {@code address/prefix}; a bare address is {@code /32} or {@code /128}. Held in
 * canonical form: host bits are cleared (as PostHog's {@code strict=False} parse does), and
 * {@link #hadHostBits()} tells the caller to warn about it. An IPv4-mapped block with a prefix of at
 * least 96 ({@code ::ffff:10.0.0.0/104}) is the IPv4 block ({@code 10.0.0.0/8}). Blocks match
 * addresses of their own family only: every other IPv6 block, even {@code ::/0}, contains no IPv4
 * address, so an IPv4 client is never let in by an IPv6 block and the other way round.
 */
public final class Cidr {
    private final long hi;
    private final long lo;
    /** Prefix length in the 128-bit space (IPv4 blocks: their prefix + 96). */
    private final int prefix128;
    private final boolean hadHostBits;

    private Cidr(long hi, long lo, int prefix128, boolean hadHostBits) {
        this.hi = hi;
        this.lo = lo;
        this.prefix128 = prefix128;
        this.hadHostBits = hadHostBits;
    }

    /**
     * Parses {@code address[/prefix]}: a strict literal as {@link IpAddress#parse} reads it, and a
     * decimal prefix without leading zeros, at most 32 (IPv4) or 128 (IPv6).
     *
     * @throws IpParseException naming the input, the reason and the index of the first bad character
     */
    public static Cidr parse(CharSequence text) {
        int n = text.length();
        int slash = -1;
        for (int i = 0; i < n; i++) {
            if (text.charAt(i) == '/') {
                slash = i;
                break;
            }
        }
        int addrEnd = slash < 0 ? n : slash;
        MutableIpAddress b = new MutableIpAddress();
        int code = b.parse(text, 0, addrEnd, false);
        if (code < 0) {
            throw IpParseException.of("CIDR block", text, 0, code);
        }
        boolean v6Syntax = IpParser.looksLikeV6(text, 0, addrEnd);
        int max = v6Syntax ? 128 : 32;
        int prefix = max;
        if (slash >= 0) {
            int start = slash + 1;
            if (start == n) {
                throw new IpParseException("CIDR block", text, "missing prefix length after '/'", start);
            }
            int value = 0;
            for (int i = start; i < n; i++) {
                char c = text.charAt(i);
                if (c < '0' || c > '9') {
                    throw new IpParseException("CIDR block", text, "prefix length must be decimal digits", i);
                }
                value = Math.min(value * 10 + (c - '0'), 1000);
            }
            if (text.charAt(start) == '0' && n - start > 1) {
                throw new IpParseException("CIDR block", text, "leading zero in prefix length", start);
            }
            if (value > max) {
                throw new IpParseException("CIDR block", text,
                        "prefix " + (value >= 1000 ? text.subSequence(start, n) : value) + " exceeds " + max, start);
            }
            prefix = value;
        }
        return normalise(b.high(), b.low(), v6Syntax ? prefix : prefix + 96);
    }

    /** The block of {@code address} with {@code prefix} bits (0-32 for IPv4, 0-128 for IPv6). */
    public static Cidr of(IpAddress address, int prefix) {
        int max = address.isIpv4() ? 32 : 128;
        if (prefix < 0 || prefix > max) {
            throw new IllegalArgumentException("prefix " + prefix + " out of range 0-" + max + " for " + address);
        }
        return normalise(address.high(), address.low(), address.isIpv4() ? prefix + 96 : prefix);
    }

    private static Cidr normalise(long hi, long lo, int prefix128) {
        long mh = maskHi(prefix128);
        long ml = maskLo(prefix128);
        boolean hostBits = (hi & ~mh) != 0 || (lo & ~ml) != 0;
        return new Cidr(hi & mh, lo & ml, prefix128, hostBits);
    }

    static long maskHi(int prefix128) {
        return prefix128 == 0 ? 0 : prefix128 >= 64 ? -1L : -1L << (64 - prefix128);
    }

    static long maskLo(int prefix128) {
        return prefix128 <= 64 ? 0 : prefix128 == 128 ? -1L : -1L << (128 - prefix128);
    }

    /** True when this is an IPv4 block (IPv4-mapped blocks of prefix 96 or more included). */
    public boolean isIpv4() {
        return prefix128 >= 96 && hi == 0 && (lo >>> 32) == 0xffffL;
    }

    /** The network address (host bits clear). */
    public IpAddress network() {
        return IpAddress.of128(hi, lo);
    }

    /** The prefix length in the block's own family: 0-32 for IPv4, 0-128 for IPv6. */
    public int prefixLength() {
        return isIpv4() ? prefix128 - 96 : prefix128;
    }

    /** True when the parsed text had host bits set ({@code 10.0.0.1/8}); they were cleared. */
    public boolean hadHostBits() {
        return hadHostBits;
    }

    /**
     * Whether {@code address} lies in this block: an IPv4 (or IPv4-mapped) address in an IPv4 block,
     * an IPv6 address in an IPv6 block; never across families.
     */
    public boolean contains(IpAddress address) {
        return address.isIpv4() == isIpv4()
                && (address.high() & maskHi(prefix128)) == hi && (address.low() & maskLo(prefix128)) == lo;
    }

    long firstHi() {
        return hi;
    }

    long firstLo() {
        return lo;
    }

    long lastHi() {
        return hi | ~maskHi(prefix128);
    }

    long lastLo() {
        return lo | ~maskLo(prefix128);
    }

    /** Canonical {@code network/prefix}, e.g. {@code 10.0.0.0/8} or {@code 2001:db8::/32}. */
    @Override
    public String toString() {
        return network() + "/" + prefixLength();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.hi == hi && c.lo == lo && c.prefix128 == prefix128;
    }

    @Override
    public int hashCode() {
        return (Long.hashCode(hi) * 31 + Long.hashCode(lo)) * 31 + prefix128;
    }
}
