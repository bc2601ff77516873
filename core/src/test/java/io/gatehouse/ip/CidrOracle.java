package io.gatehouse.ip;

import java.math.BigInteger;

/**
 * SPEC section 2 restated with {@link BigInteger} ranges, for property and fuzz tests. A rule and a
 * client each have a family; a rule matches a client of its own family whose value lies in the rule's
 * range. An IPv4-mapped value ({@code ::ffff:a.b.c.d}) is IPv4, and so is a mapped rule of a 128-bit
 * prefix of at least 96; every other rule is IPv6, whatever its 128-bit range contains. Family and
 * range are worked out here from the bits alone, not with the code under test.
 */
final class CidrOracle {
    private static final BigInteger MAPPED_FIRST = BigInteger.valueOf(0xffffL).shiftLeft(32);
    private static final BigInteger MAPPED_LAST = MAPPED_FIRST.add(BigInteger.ONE.shiftLeft(32)).subtract(BigInteger.ONE);

    private CidrOracle() {
    }

    /** A rule: its family and its inclusive range of 128-bit values. */
    record Rule(boolean ipv4, BigInteger first, BigInteger last) {
        boolean matches(IpAddress client) {
            BigInteger v = value(client);
            return ipv4 == isMapped(v) && v.compareTo(first) >= 0 && v.compareTo(last) <= 0;
        }
    }

    /** The rule {@code Cidr.of(address, prefix)} stands for: the prefix counts in the address's own family. */
    static Rule of(IpAddress address, int prefix) {
        BigInteger v = value(address);
        return of128(v, isMapped(v) ? prefix + 96 : prefix);
    }

    /** The rule of a 128-bit value and a 128-bit prefix (what {@code ::ffff:a.b.c.d/p} parses to). */
    static Rule of128(BigInteger value, int prefix128) {
        BigInteger size = BigInteger.ONE.shiftLeft(128 - prefix128);
        BigInteger first = value.subtract(value.mod(size));
        return new Rule(prefix128 >= 96 && isMapped(first), first, first.add(size).subtract(BigInteger.ONE));
    }

    /** Whether any rule matches {@code client}. */
    static boolean anyMatches(Iterable<Rule> rules, IpAddress client) {
        for (Rule r : rules) {
            if (r.matches(client)) {
                return true;
            }
        }
        return false;
    }

    static boolean isMapped(BigInteger v) {
        return v.compareTo(MAPPED_FIRST) >= 0 && v.compareTo(MAPPED_LAST) <= 0;
    }

    static BigInteger value(IpAddress a) {
        return value(a.high(), a.low());
    }

    static BigInteger value(long hi, long lo) {
        byte[] out = new byte[16];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (hi >>> (56 - 8 * i));
            out[i + 8] = (byte) (lo >>> (56 - 8 * i));
        }
        return new BigInteger(1, out);
    }

    static IpAddress address(BigInteger v) {
        return IpAddress.of128(v.shiftRight(64).longValue(), v.longValue());
    }
}
