package io.gatehouse.ip;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An IPv4 or IPv6 address, held as 128 bits. IPv4 addresses, and IPv4-mapped IPv6 addresses
 * ({@code ::ffff:a.b.c.d}), are the same value: the mapped form is IPv4 everywhere, in rules and in
 * requests, so a dual-stack socket cannot slip past an IPv4 rule.
 *
 * <p>Parsing is strict (see {@link #parse}) and never touches DNS. Printing is canonical: dotted
 * quad for IPv4, RFC 5952 for IPv6. Instances are immutable and compare by value.
 */
public final class IpAddress implements Comparable<IpAddress> {
    static final long MAPPED_PREFIX = 0xffff_0000_0000L;

    private final long hi;
    private final long lo;

    private IpAddress(long hi, long lo) {
        this.hi = hi;
        this.lo = lo;
    }

    /**
     * Parses a literal from configuration: a dotted quad (exactly four decimal parts 0-255, no
     * leading zeros, no short or hex forms) or RFC 4291 IPv6 text ({@code ::}, embedded IPv4
     * tail). Zone ids ({@code %eth0}) are rejected.
     *
     * @throws IpParseException naming the input, the reason and the index of the first bad character
     */
    public static IpAddress parse(CharSequence text) {
        return parse(text, false);
    }

    /**
     * Parses a literal from request data: as {@link #parse}, but a zone id is ignored. Never throws.
     *
     * @return the address, or empty when {@code text} is not an IP literal
     */
    public static Optional<IpAddress> tryParse(@Nullable CharSequence text) {
        if (text == null) {
            return Optional.empty();
        }
        MutableIpAddress m = new MutableIpAddress();
        return m.parse(text, 0, text.length()) ? Optional.of(m.toIpAddress()) : Optional.empty();
    }

    static IpAddress parse(CharSequence text, boolean allowZone) {
        MutableIpAddress m = new MutableIpAddress();
        int code = m.parse(text, 0, text.length(), allowZone);
        if (code < 0) {
            throw IpParseException.of("IP address", text, 0, code);
        }
        return m.toIpAddress();
    }

    /** The IPv4 address with these 32 bits (network order: {@code 0x7f000001} is 127.0.0.1). */
    public static IpAddress ofIpv4(int bits) {
        return new IpAddress(0, MAPPED_PREFIX | Integer.toUnsignedLong(bits));
    }

    /** The address with these 128 bits; an IPv4-mapped value is an IPv4 address. */
    public static IpAddress of128(long high, long low) {
        return new IpAddress(high, low);
    }

    /** The address of these 4 or 16 bytes (network order). */
    public static IpAddress ofBytes(byte[] bytes) {
        if (bytes.length == 4) {
            int v = 0;
            for (byte b : bytes) {
                v = (v << 8) | (b & 0xff);
            }
            return ofIpv4(v);
        }
        if (bytes.length == 16) {
            long h = 0;
            long l = 0;
            for (int i = 0; i < 8; i++) {
                h = (h << 8) | (bytes[i] & 0xff);
                l = (l << 8) | (bytes[i + 8] & 0xff);
            }
            return new IpAddress(h, l);
        }
        throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + bytes.length);
    }

    /** True for IPv4 (including IPv4-mapped IPv6). */
    public boolean isIpv4() {
        return hi == 0 && (lo >>> 32) == 0xffffL;
    }

    /** The 32 bits of an IPv4 address. */
    public int ipv4Bits() {
        if (!isIpv4()) {
            throw new IllegalStateException("not an IPv4 address: " + this);
        }
        return (int) lo;
    }

    /** The high 64 bits of the 128-bit value (IPv4 is {@code ::ffff:a.b.c.d}). */
    public long high() {
        return hi;
    }

    /** The low 64 bits of the 128-bit value. */
    public long low() {
        return lo;
    }

    /** The address as 4 (IPv4) or 16 bytes, network order. */
    public byte[] toBytes() {
        if (isIpv4()) {
            int v = (int) lo;
            return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
        }
        byte[] out = new byte[16];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (hi >>> (56 - 8 * i));
            out[i + 8] = (byte) (lo >>> (56 - 8 * i));
        }
        return out;
    }

    /** Canonical text: dotted quad for IPv4, RFC 5952 for IPv6. */
    @Override
    public String toString() {
        return isIpv4() ? formatV4((int) lo) : formatV6(hi, lo);
    }

    static String formatV4(int v) {
        return ((v >>> 24) & 0xff) + "." + ((v >>> 16) & 0xff) + "." + ((v >>> 8) & 0xff) + "." + (v & 0xff);
    }

    static String formatV6(long hi, long lo) {
        int[] g = new int[8];
        for (int i = 0; i < 4; i++) {
            g[i] = (int) (hi >>> (48 - 16 * i)) & 0xffff;
            g[i + 4] = (int) (lo >>> (48 - 16 * i)) & 0xffff;
        }
        // RFC 5952 4.2: compress the longest run of two or more zero groups, the first one on a tie.
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpAddress a && a.hi == hi && a.lo == lo;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(hi) * 31 + Long.hashCode(lo);
    }

    /** Orders by the 128-bit value, unsigned (so IPv4 sorts inside {@code ::ffff:0:0/96}). */
    @Override
    public int compareTo(IpAddress o) {
        int c = Long.compareUnsigned(hi, o.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
    }
}
