package io.gatehouse.ip;

import java.math.BigInteger;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** CidrSet against a BigInteger range oracle over the unified 128-bit space (IPv4 = ::ffff:a.b.c.d). */
class CidrSetProperties {
    private static final BigInteger MAPPED = BigInteger.valueOf(0xffffL).shiftLeft(32);

    @Property(tries = 300)
    void agreesWithBigIntegerOracle(@ForAll("blocks") List<Cidr> blocks,
                                    @ForAll("addressLists") List<IpAddress> probes) {
        CidrSet set = CidrSet.of(blocks);
        for (IpAddress a : probes) {
            boolean expected = blocks.stream().anyMatch(b -> oracle(b, a));
            if (set.contains(a) != expected || set.contains(a.toString()) != expected) {
                throw new AssertionError(a + " in " + blocks + ": expected " + expected);
            }
        }
        // Every block's first and last address is inside; the one before and after is checked too.
        for (Cidr b : blocks) {
            for (BigInteger v : List.of(first(b), last(b), first(b).subtract(BigInteger.ONE), last(b).add(BigInteger.ONE))) {
                if (v.signum() < 0 || v.bitLength() > 128) {
                    continue;
                }
                IpAddress a = IpAddress.of128(v.shiftRight(64).longValue(), v.longValue());
                boolean expected = blocks.stream().anyMatch(c -> oracle(c, a));
                if (set.contains(a) != expected) {
                    throw new AssertionError(a + " in " + blocks + ": expected " + expected);
                }
            }
        }
    }

    @Property(tries = 500)
    void formatThenParseRoundTrips(@ForAll("addresses") IpAddress a) {
        IpAddress again = IpAddress.parse(a.toString());
        if (!again.equals(a) || !again.toString().equals(a.toString())) {
            throw new AssertionError(a + " -> " + again);
        }
    }

    private static boolean oracle(Cidr b, IpAddress a) {
        BigInteger v = value(a);
        return v.compareTo(first(b)) >= 0 && v.compareTo(last(b)) <= 0;
    }

    private static BigInteger value(IpAddress a) {
        return new BigInteger(1, longs(a.high(), a.low()));
    }

    private static BigInteger first(Cidr b) {
        return value(b.network());
    }

    private static BigInteger last(Cidr b) {
        int hostBits = 128 - (b.isIpv4() ? b.prefixLength() + 96 : b.prefixLength());
        return first(b).add(BigInteger.ONE.shiftLeft(hostBits)).subtract(BigInteger.ONE);
    }

    private static byte[] longs(long hi, long lo) {
        byte[] out = new byte[16];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (hi >>> (56 - 8 * i));
            out[i + 8] = (byte) (lo >>> (56 - 8 * i));
        }
        return out;
    }

    @Provide
    Arbitrary<List<Cidr>> blocks() {
        return block().list().ofMaxSize(40);
    }

    @Provide
    Arbitrary<List<IpAddress>> addressLists() {
        return addresses().list().ofMinSize(1).ofMaxSize(40);
    }

    @Provide
    Arbitrary<IpAddress> addresses() {
        Arbitrary<IpAddress> v4 = Arbitraries.oneOf(
                Arbitraries.integers().between(Integer.MIN_VALUE, Integer.MAX_VALUE),
                Arbitraries.of(0, -1, 0x7f000001, 0x0a000000, 0x80000000)).map(IpAddress::ofIpv4);
        Arbitrary<IpAddress> v6 = Combinators.combine(
                Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.of(0L, -1L, 0x2001_0db8_0000_0000L)),
                Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.of(0L, 1L, -1L, 0xffff_0000_0000L, 0xfffe_ffff_ffffL)))
                .as(IpAddress::of128);
        return Arbitraries.oneOf(v4, v6);
    }

    private Arbitrary<Cidr> block() {
        Arbitrary<Cidr> v4 = Combinators.combine(addresses().filter(IpAddress::isIpv4),
                Arbitraries.oneOf(Arbitraries.integers().between(0, 32), Arbitraries.of(0, 1, 31, 32)))
                .as(Cidr::of);
        Arbitrary<Cidr> v6 = Combinators.combine(addresses().filter(a -> !a.isIpv4()),
                Arbitraries.oneOf(Arbitraries.integers().between(0, 128), Arbitraries.of(0, 1, 64, 95, 96, 127, 128)))
                .as(Cidr::of);
        Arbitrary<Cidr> mapped = Arbitraries.integers().between(80, 128)
                .map(p -> Cidr.parse("::ffff:0:0/" + p));
        return Arbitraries.oneOf(v4, v6, mapped);
    }
}
