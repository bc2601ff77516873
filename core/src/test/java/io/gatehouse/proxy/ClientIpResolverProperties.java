package io.gatehouse.proxy;

import io.gatehouse.ip.IpAddress;
import io.gatehouse.ip.MutableIpAddress;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The resolver's one-pass walk (with its right-to-left IPv4 fast path) against the obvious
 * split-and-parse reading of SPEC 3, on chains built from hops that sit on the fast path's edges.
 */
class ClientIpResolverProperties {
    private static final IpAddress PEER = IpAddress.parse("10.0.0.1");

    @Property(tries = 3000)
    void walkAgreesWithSplitAndParse(@ForAll("values") List<String> values, @ForAll boolean trustAll,
                                     @ForAll boolean xRealIp, @ForAll @IntRange(min = 1, max = 12) int hops,
                                     @ForAll boolean unixPeer) {
        ForwardedHeader h = xRealIp ? ForwardedHeader.X_REAL_IP : ForwardedHeader.X_FORWARDED_FOR;
        // A Unix-socket peer (null) listed as unix: is walked like a trusted IP peer.
        IpAddress peer = unixPeer ? null : PEER;
        ClientIpResolver r = ClientIpResolver.builder().behindProxy(true).trustAllProxies(trustAll)
                .trustedProxies(ForwardedFuzzTest.TRUSTED).trustUnixSocketProxies(unixPeer).headers(List.of(h))
                .maxForwardedHops(hops).logWarnings(false).build();
        HeaderLookup lookup = HeaderLookup.of(Map.of(h.headerName(), values));
        IpAddress expected = ForwardedFuzzTest.oracle(values, trustAll, hops, peer);
        ClientIp client = r.resolve(peer, lookup);
        IpAddress actual = client instanceof ClientIp.Resolved res ? res.address() : null;
        MutableIpAddress into = new MutableIpAddress();
        into.set(IpAddress.parse("192.0.2.99"));
        boolean resolved = r.resolve(peer, lookup, into);
        if (expected == null ? actual != null : !expected.equals(actual)) {
            throw new AssertionError("resolver " + actual + ", split-and-parse " + expected + " for " + values);
        }
        if (resolved != (expected != null) || (resolved && !into.toIpAddress().equals(expected))
                || (!resolved && into.isSet())) {
            throw new AssertionError("allocation-free form gives " + into + " for " + values);
        }
    }

    @Provide
    Arbitrary<List<String>> values() {
        Arbitrary<String> hop = Arbitraries.of(
                "203.0.113.7", "10.1.2.3", "10.0.0.9", "172.16.5.4", "0.0.0.0", "255.255.255.255", "10.255.255.255",
                "256.1.2.3", "010.1.2.3", "10.01.2.3", "1.2.3", "1.2.3.4.5", "1..2.3", ".1.2.3", "1.2.3.", "1234.1.1.1",
                "10.1.2.3:8080", "10.1.2.3:", "10.1.2.3:123456", "10.1.2.3:_x", "203.0.113.7:443",
                "[2001:db8::1]", "[2001:db8::1]:443", "2001:db8::1", "2001:db9::1", "::ffff:10.1.2.3",
                "::ffff:203.0.113.7", "[10.1.2.3]", "fe80::1%eth0", "unknown", "_hidden", "x10.1.2.3",
                "10.1.2.3x", "-1.2.3.4", "1.2.3.4/8", "", " ", "\t", "\u00a0", "\u001c", "10.1.2.3 10.1.2.4");
        Arbitrary<String> sep = Arbitraries.of(",", ", ", " ,", " , ", ",\t", ",,", "", " ");
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.just(""),
                hop.list().ofMinSize(1).ofMaxSize(8).flatMap(hs -> sep.list().ofSize(hs.size()).map(ss -> {
                    StringBuilder sb = new StringBuilder();
                    for (int i = 0; i < hs.size(); i++) {
                        sb.append(i == 0 ? "" : ss.get(i)).append(hs.get(i));
                    }
                    return sb.append(ss.get(0).isBlank() ? ss.get(0) : "").toString();
                })));
        return value.list().ofMinSize(1).ofMaxSize(3);
    }
}
