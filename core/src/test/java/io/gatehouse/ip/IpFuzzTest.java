package io.gatehouse.ip;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzz targets for IP literals, CIDR blocks and the compiled set. {@code mvn verify} replays the
 * inputs in {@code IpFuzzTestInputs/}; {@code fuzz/run.sh} fuzzes for real.
 */
class IpFuzzTest {

    /** Never anything but IpParseException, with an index inside the input; what parses round-trips. */
    @FuzzTest(maxDuration = "10m")
    void ipLiteral(FuzzedDataProvider data) {
        String s = data.consumeRemainingAsString();
        try {
            IpAddress a = IpAddress.parse(s);
            IpAddress again = IpAddress.parse(a.toString());
            if (!again.equals(a) || !again.toString().equals(a.toString())) {
                throw new AssertionError("round trip: " + s + " -> " + a + " -> " + again);
            }
            if (IpAddress.tryParse(s).isEmpty()) {
                throw new AssertionError("parse and tryParse disagree on " + s);
            }
        } catch (IpParseException e) {
            if (e.index() < 0 || e.index() > s.length()) {
                throw new AssertionError("index " + e.index() + " outside " + s.length());
            }
            if (e.getMessage().indexOf('\n') >= 0 || e.getMessage().indexOf('\r') >= 0) {
                throw new AssertionError("raw control character in message");
            }
        }
        MutableIpAddress m = new MutableIpAddress();
        if (m.parse(s, 0, s.length()) != IpAddress.tryParse(s).isPresent()) {
            throw new AssertionError("MutableIpAddress and tryParse disagree on " + s);
        }
    }

    /** Never anything but IpParseException; what parses is canonical and round-trips. */
    @FuzzTest(maxDuration = "10m")
    void cidr(FuzzedDataProvider data) {
        String s = data.consumeRemainingAsString();
        try {
            Cidr c = Cidr.parse(s);
            if (!Cidr.parse(c.toString()).equals(c) || !c.contains(c.network())) {
                throw new AssertionError("round trip: " + s + " -> " + c);
            }
        } catch (IpParseException e) {
            if (e.index() < 0 || e.index() > s.length()) {
                throw new AssertionError("index " + e.index() + " outside " + s.length());
            }
        }
    }

    /**
     * A set built from fuzzed blocks agrees with the two-family BigInteger range oracle on fuzzed
     * probes: IPv6 rules never match IPv4 (or IPv4-mapped) clients.
     */
    @FuzzTest(maxDuration = "10m")
    void cidrSetAgreesWithOracle(FuzzedDataProvider data) {
        List<Cidr> blocks = new ArrayList<>();
        List<CidrOracle.Rule> rules = new ArrayList<>();
        int n = data.consumeInt(0, 64);
        for (int i = 0; i < n; i++) {
            IpAddress a = data.consumeBoolean() ? IpAddress.ofIpv4(data.consumeInt())
                    : IpAddress.of128(data.consumeLong(), data.consumeLong());
            // A 128-bit value may be IPv4-mapped; its prefix is then an IPv4 prefix (found by fuzzing).
            int prefix = data.consumeInt(0, a.isIpv4() ? 32 : 128);
            blocks.add(Cidr.of(a, prefix));
            rules.add(CidrOracle.of(a, prefix));
        }
        CidrSet set = CidrSet.of(blocks);
        while (data.remainingBytes() > 0) {
            IpAddress probe = data.consumeBoolean() ? IpAddress.ofIpv4(data.consumeInt())
                    : IpAddress.of128(data.consumeLong(), data.consumeLong());
            boolean expected = CidrOracle.anyMatches(rules, probe);
            if (set.contains(probe) != expected || set.contains(probe.toString()) != expected) {
                throw new AssertionError(probe + " in " + blocks + ": expected " + expected);
            }
        }
    }
}
