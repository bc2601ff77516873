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

    private static ClientIpResolver resolver(ForwardedHeader h, boolean trustAll, int hops) {
        return ClientIpResolver.builder().behindProxy(true).trustAllProxies(trustAll)
                .trustedProxies(CidrSet.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("2001:db8::/32")))
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
