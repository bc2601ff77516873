package io.gatehouse.proxy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gatehouse.ip.Cidr;
import io.gatehouse.ip.CidrSet;
import io.gatehouse.ip.IpAddress;
import io.gatehouse.ip.MutableIpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Fuzz targets for the forwarded headers: never throws, and the client is the peer or a hop of the chain. */
class ForwardedFuzzTest {
    private static final IpAddress PEER = IpAddress.parse("10.0.0.1");

    static final CidrSet TRUSTED = CidrSet.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("2001:db8::/32"));

    private static ClientIpResolver resolver(ForwardedHeader h, boolean trustAll, int hops) {
        return ClientIpResolver.builder().behindProxy(true).trustAllProxies(trustAll)
                .trustedProxies(TRUSTED)
                .headers(List.of(h)).maxForwardedHops(hops).logWarnings(false).build();
    }

    private static void check(ForwardedHeader h, FuzzedDataProvider data) {
        boolean trustAll = data.consumeBoolean();
        int hops = data.consumeInt(1, 40);
        List<String> values = new ArrayList<>();
        int instances = data.consumeInt(1, 3);
        for (int i = 0; i < instances; i++) {
            values.add(i == instances - 1 ? data.consumeRemainingAsString() : data.consumeString(200));
        }
        ClientIpResolver r = resolver(h, trustAll, hops);
        HeaderLookup lookup = HeaderLookup.of(Map.of(h.headerName(), values));
        ClientIp client = r.resolve(PEER, lookup);
        MutableIpAddress into = new MutableIpAddress();
        boolean resolved = r.resolve(PEER, lookup, into);
        if (resolved != client instanceof ClientIp.Resolved) {
            throw new AssertionError("the two resolve forms disagree on " + values);
        }
        if (h != ForwardedHeader.FORWARDED) {
            IpAddress expected = oracle(values, trustAll, hops);
            IpAddress actual = client instanceof ClientIp.Resolved res ? res.address() : null;
            if (expected == null ? actual != null : !expected.equals(actual)) {
                throw new AssertionError("resolver gives " + actual + ", split-and-parse gives " + expected
                        + " for " + values + " (trustAll " + trustAll + ", hops " + hops + ")");
            }
        }
        if (client instanceof ClientIp.Resolved res) {
            IpAddress a = res.address();
            if (!a.equals(into.toIpAddress())) {
                throw new AssertionError("the two resolve forms give different clients for " + values);
            }
            if (!a.equals(PEER) && !appearsIn(a, values)) {
                throw new AssertionError(a + " is neither the peer nor a hop of " + values);
            }
        } else if (client instanceof ClientIp.Unresolved u) {
            if (u.reason().indexOf('\n') >= 0 || u.reason().indexOf('\r') >= 0) {
                throw new AssertionError("raw control character in reason");
            }
        }
    }

    /**
     * SPEC 3 for comma-separated headers, written the obvious way (split, trim, strip the port,
     * parse, walk from the right): the client, or null when unresolved. The peer is trusted.
     */
    static IpAddress oracle(List<String> values, boolean trustAll, int maxHops) {
        return oracle(values, trustAll, maxHops, PEER);
    }

    /** As above behind a trusted {@code peer}; null for a Unix-socket peer, which leaves a chain without a client unresolved. */
    static IpAddress oracle(List<String> values, boolean trustAll, int maxHops, IpAddress peer) {
        List<String> hops = new ArrayList<>();
        for (String v : values) {
            for (String part : v.split(",", -1)) {
                int a = 0;
                int b = part.length();
                while (a < b && (part.charAt(a) == ' ' || part.charAt(a) == '\t')) {
                    a++;
                }
                while (b > a && (part.charAt(b - 1) == ' ' || part.charAt(b - 1) == '\t')) {
                    b--;
                }
                if (a < b) {
                    hops.add(part.substring(a, b));
                }
            }
        }
        IpAddress leftmost = peer;
        int examined = 0;
        for (int i = hops.size() - 1; i >= 0; i--) {
            if (examined++ == maxHops) {
                return trustAll ? leftmost : null;
            }
            IpAddress a = hopAddress(hops.get(i));
            if (a == null) {
                if (trustAll) {
                    continue;
                }
                return null;
            }
            if (!trustAll && !TRUSTED.contains(a)) {
                return a;
            }
            leftmost = a;
        }
        return leftmost;
    }

    /** A hop's address: {@code [v6]}, {@code [v6]:port}, {@code v4:port} or the whole hop; null if none. */
    private static IpAddress hopAddress(String hop) {
        String host = hop;
        String port = "";
        if (hop.startsWith("[")) {
            int close = hop.indexOf(']');
            if (close < 0) {
                return null;
            }
            host = hop.substring(1, close);
            port = hop.substring(close + 1);
        } else if (hop.indexOf(':') >= 0 && hop.indexOf(':') == hop.lastIndexOf(':')) {
            host = hop.substring(0, hop.indexOf(':'));
            port = hop.substring(hop.indexOf(':'));
        }
        boolean portOk = port.isEmpty() || port.startsWith(":_") && port.length() >= 2
                || port.matches(":[0-9]{1,5}");
        return portOk ? IpAddress.tryParse(host).orElse(null) : null;
    }

    /** Whether some piece of the header between separators parses to {@code a}. */
    private static boolean appearsIn(IpAddress a, List<String> values) {
        for (String v : values) {
            for (int i = 0; i < v.length(); i++) {
                for (int j = i + 1; j <= v.length() && j - i <= 64; j++) {
                    if (IpAddress.tryParse(v.substring(i, j)).filter(a::equals).isPresent()) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    @FuzzTest(maxDuration = "10m")
    void xForwardedFor(FuzzedDataProvider data) {
        check(ForwardedHeader.X_FORWARDED_FOR, data);
    }

    @FuzzTest(maxDuration = "10m")
    void forwarded(FuzzedDataProvider data) {
        check(ForwardedHeader.FORWARDED, data);
    }

    @FuzzTest(maxDuration = "10m")
    void xRealIp(FuzzedDataProvider data) {
        check(ForwardedHeader.X_REAL_IP, data);
    }
}
