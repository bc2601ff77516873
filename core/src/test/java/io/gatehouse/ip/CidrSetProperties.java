package io.gatehouse.ip;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * CidrSet against a two-family BigInteger range oracle ({@link CidrOracle}): IPv4 rules against IPv4
 * clients, IPv6 rules against IPv6 clients, IPv4-mapped rules and clients normalised to IPv4.
 */
class CidrSetProperties {
    private static final long MAPPED = 0xffff_0000_0000L;

    /** A block as the set sees it, and the rule the oracle reads into the same input. */
    record Block(Cidr cidr, CidrOracle.Rule rule) {
        @Override
        public String toString() {
            return cidr.toString();
        }
    }

    @Property(tries = 300)
    void agreesWithTwoFamilyOracle(@ForAll("blocks") List<Block> blocks,
                                   @ForAll("addressLists") List<IpAddress> probes) {
        CidrSet set = CidrSet.of(blocks.stream().map(Block::cidr).toList());
        List<CidrOracle.Rule> rules = blocks.stream().map(Block::rule).toList();
        List<IpAddress> all = new ArrayList<>(probes);
        // Every rule's first and last address, and the ones just outside, whatever their family.
        for (CidrOracle.Rule r : rules) {
            for (BigInteger v : List.of(r.first(), r.last(), r.first().subtract(BigInteger.ONE), r.last().add(BigInteger.ONE))) {
                if (v.signum() >= 0 && v.bitLength() <= 128) {
                    all.add(CidrOracle.address(v));
                }
            }
        }
        MutableIpAddress holder = new MutableIpAddress();
        for (IpAddress a : all) {
            boolean expected = CidrOracle.anyMatches(rules, a);
            holder.set(a);
            boolean mappedText = !a.isIpv4() || set.contains("::ffff:" + a) == expected;
            if (set.contains(a) != expected || set.contains(a.toString()) != expected || set.contains(holder) != expected
                    || !mappedText || blocks.stream().anyMatch(b -> b.cidr().contains(a)) != expected) {
                throw new AssertionError(a + " in " + blocks + ": expected " + expected);
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

    @Provide
    Arbitrary<List<Block>> blocks() {
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
                Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.of(0L, 1L, -1L, MAPPED, MAPPED | 0x0a01_0203L,
                        0xfffe_ffff_ffffL, 0x1_0000_0000_0000L, 0x0a01_0203L)))
                .as(IpAddress::of128);
        return Arbitraries.oneOf(v4, v6);
    }

    private Arbitrary<Block> block() {
        Arbitrary<Integer> v4Bits = Arbitraries.oneOf(Arbitraries.integers().between(Integer.MIN_VALUE, Integer.MAX_VALUE),
                Arbitraries.of(0, -1, 0x0a000000, 0x7f000000));
        // IPv4 blocks as the builder makes them.
        Arbitrary<Block> v4 = Combinators.combine(v4Bits, Arbitraries.oneOf(Arbitraries.integers().between(0, 32),
                Arbitraries.of(0, 1, 8, 31, 32)))
                .as((bits, p) -> new Block(Cidr.of(IpAddress.ofIpv4(bits), p),
                        CidrOracle.of128(CidrOracle.value(0, MAPPED | Integer.toUnsignedLong(bits)), p + 96)));
        // Any 128-bit value in IPv6 syntax with an IPv6 prefix: IPv6 rules, among them ::/0, ::/64, ::/80,
        // ::fffe:0:0/95 (which contain every mapped address) and mapped rules written in hex (::ffff:a00:0/104).
        Arbitrary<Long> hi = Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.of(0L, -1L, 0x2001_0db8_0000_0000L,
                0x0064_ff9b_0000_0000L));
        Arbitrary<Long> lo = Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.of(0L, 1L, -1L, MAPPED, MAPPED | 0x0a00_0000L,
                0xfffe_0000_0000L, 0xfffe_ffff_ffffL, 0x1_0000_0000_0000L));
        Arbitrary<Integer> p128 = Arbitraries.oneOf(Arbitraries.integers().between(0, 128),
                Arbitraries.of(0, 1, 64, 80, 95, 96, 97, 104, 127, 128));
        Arbitrary<Block> v6 = Combinators.combine(hi, lo, p128)
                .as((h, l, p) -> new Block(Cidr.parse(IpAddress.formatV6(h, l) + "/" + p),
                        CidrOracle.of128(CidrOracle.value(h, l), p)));
        // Mapped rules in dotted form, and IPv6 rules whose text starts with a mapped address (::ffff:1.2.3.4/80).
        Arbitrary<Block> mapped = Combinators.combine(v4Bits, Arbitraries.integers().between(80, 128))
                .as((bits, p) -> new Block(Cidr.parse("::ffff:" + IpAddress.formatV4(bits) + "/" + p),
                        CidrOracle.of128(CidrOracle.value(0, MAPPED | Integer.toUnsignedLong(bits)), p)));
        return Arbitraries.oneOf(v4, v6, mapped);
    }
}
