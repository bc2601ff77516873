package io.gatehouse.benchmarks;

import inet.ipaddr.IPAddressString;
import inet.ipaddr.ipv4.IPv4AddressTrie;
import inet.ipaddr.ipv6.IPv6AddressTrie;
import io.gatehouse.ip.Cidr;
import io.gatehouse.ip.CidrSet;
import io.gatehouse.ip.IpAddress;
import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilter;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.springframework.security.web.util.matcher.IpAddressMatcher;

/**
 * IP string in, "inside any block?" out, against 1 to 100,000 random CIDR blocks: Gatehouse's
 * {@link CidrSet} vs Netty's {@code IpSubnetFilter} (fed the string through {@code NetUtil}, as a
 * server would), the IPAddress library's trie, and Spring Security's {@code IpAddressMatcher}
 * looped over the blocks as applications use it. Half the probes are inside a block.
 */
public class CidrMatchBenchmark extends JmhSettings {
    @Param({"ipv4", "ipv6"})
    public String family;

    @Param({"1", "100", "10000", "100000"})
    public int blocks;

    private static final int PROBES = 1024;

    private String[] probes;
    private int next;
    private CidrSet gatehouse;
    private ExposedIpSubnetFilter netty;
    private IPv4AddressTrie trie4;
    private IPv6AddressTrie trie6;
    private IpAddressMatcher[] spring;

    /** Netty's filter decision, without a channel (its {@code accept} does not use the context). */
    static final class ExposedIpSubnetFilter extends IpSubnetFilter {
        ExposedIpSubnetFilter(List<IpSubnetFilterRule> rules) {
            super(false, rules);
        }

        boolean allows(String ip) {
            return accept(null, new InetSocketAddress(NetUtil.createInetAddressFromIpAddressString(ip), 0));
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(20261123L);
        boolean v4 = family.equals("ipv4");
        List<Cidr> cidrs = new ArrayList<>(blocks);
        for (int i = 0; i < blocks; i++) {
            cidrs.add(v4 ? Cidr.of(IpAddress.ofIpv4(rnd.nextInt()), 16 + rnd.nextInt(17))
                    : Cidr.of(IpAddress.of128(0x2000_0000_0000_0000L | (rnd.nextLong() >>> 3), rnd.nextLong()),
                            32 + rnd.nextInt(33)));
        }
        probes = new String[PROBES];
        for (int i = 0; i < PROBES; i++) {
            IpAddress a;
            if (i % 2 == 0) {
                Cidr c = cidrs.get(rnd.nextInt(blocks));
                a = inside(c, rnd);
            } else {
                a = v4 ? IpAddress.ofIpv4(rnd.nextInt())
                        : IpAddress.of128(0x2000_0000_0000_0000L | (rnd.nextLong() >>> 3), rnd.nextLong());
            }
            probes[i] = a.toString();
        }
        gatehouse = CidrSet.of(cidrs);
        List<IpSubnetFilterRule> rules = new ArrayList<>();
        spring = new IpAddressMatcher[blocks];
        trie4 = new IPv4AddressTrie();
        trie6 = new IPv6AddressTrie();
        for (int i = 0; i < blocks; i++) {
            Cidr c = cidrs.get(i);
            rules.add(new IpSubnetFilterRule(c.network().toString(), c.prefixLength(), IpFilterRuleType.ACCEPT));
            spring[i] = new IpAddressMatcher(c.toString());
            if (v4) {
                trie4.add(new IPAddressString(c.toString()).getAddress().toIPv4());
            } else {
                trie6.add(new IPAddressString(c.toString()).getAddress().toIPv6());
            }
        }
        netty = new ExposedIpSubnetFilter(rules);
        // A fast wrong answer cannot win: every implementation must agree on every probe.
        int hits = 0;
        for (String p : probes) {
            boolean expected = gatehouse.contains(p);
            hits += expected ? 1 : 0;
            check(p, expected, netty.allows(p), "Netty IpSubnetFilter");
            check(p, expected, v4 ? trie4.elementContains(new IPAddressString(p).getAddress().toIPv4())
                    : trie6.elementContains(new IPAddressString(p).getAddress().toIPv6()), "IPAddress trie");
            boolean s = false;
            for (IpAddressMatcher m : spring) {
                if (m.matches(p)) {
                    s = true;
                    break;
                }
            }
            check(p, expected, s, "Spring IpAddressMatcher");
        }
        if (hits < PROBES / 2) {
            throw new IllegalStateException("only " + hits + " of " + PROBES + " probes hit");
        }
    }

    private static IpAddress inside(Cidr c, SplittableRandom rnd) {
        IpAddress n = c.network();
        if (c.isIpv4()) {
            int host = 32 - c.prefixLength();
            int mask = host == 32 ? -1 : (1 << host) - 1;
            return IpAddress.ofIpv4(n.ipv4Bits() | (rnd.nextInt() & mask));
        }
        int host = 128 - c.prefixLength();
        long loMask = host >= 64 ? -1L : (1L << host) - 1;
        long hiMask = host <= 64 ? 0 : (host == 128 ? -1L : (1L << (host - 64)) - 1);
        return IpAddress.of128(n.high() | (rnd.nextLong() & hiMask), n.low() | (rnd.nextLong() & loMask));
    }

    private static void check(String probe, boolean expected, boolean actual, String who) {
        if (expected != actual) {
            throw new IllegalStateException(who + " answers " + actual + " for " + probe + ", Gatehouse " + expected);
        }
    }

    private String probe() {
        String p = probes[next];
        next = (next + 1) & (PROBES - 1);
        return p;
    }

    @Benchmark
    public boolean gatehouse() {
        return gatehouse.contains(probe());
    }

    @Benchmark
    public boolean nettyIpSubnetFilter() {
        return netty.allows(probe());
    }

    @Benchmark
    public boolean ipaddressTrie() {
        String p = probe();
        return family.equals("ipv4") ? trie4.elementContains(new IPAddressString(p).getAddress().toIPv4())
                : trie6.elementContains(new IPAddressString(p).getAddress().toIPv6());
    }

    @Benchmark
    public boolean springIpAddressMatcherLoop() {
        String p = probe();
        for (IpAddressMatcher m : spring) {
            if (m.matches(p)) {
                return true;
            }
        }
        return false;
    }
}
