package io.gatehouse.ip;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.math.BigInteger;
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

    /** A set built from fuzzed blocks agrees with a BigInteger range oracle on fuzzed probes. */
    @FuzzTest(maxDuration = "10m")
    void cidrSetAgreesWithOracle(FuzzedDataProvider data) {
        List<Cidr> blocks = new ArrayList<>();
        int n = data.consumeInt(0, 64);
        for (int i = 0; i < n; i++) {
            IpAddress a = data.consumeBoolean() ? IpAddress.ofIpv4(data.consumeInt())
                    : IpAddress.of128(data.consumeLong(), data.consumeLong());
            // A 128-bit value may be IPv4-mapped; its prefix is then an IPv4 prefix (found by fuzzing).
            blocks.add(Cidr.of(a, data.consumeInt(0, a.isIpv4() ? 32 : 128)));
        }
        CidrSet set = CidrSet.of(blocks);
        while (data.remainingBytes() > 0) {
            IpAddress probe = data.consumeBoolean() ? IpAddress.ofIpv4(data.consumeInt())
                    : IpAddress.of128(data.consumeLong(), data.consumeLong());
            BigInteger v = value(probe);
            boolean expected = false;
            for (Cidr c : blocks) {
                BigInteger first = value(c.network());
                int host = 128 - (c.isIpv4() ? c.prefixLength() + 96 : c.prefixLength());
                BigInteger last = first.add(BigInteger.ONE.shiftLeft(host)).subtract(BigInteger.ONE);
                expected |= v.compareTo(first) >= 0 && v.compareTo(last) <= 0;
            }
            if (set.contains(probe) != expected || set.contains(probe.toString()) != expected) {
                throw new AssertionError(probe + " in " + blocks + ": expected " + expected);
            }
        }
    }

    private static BigInteger value(IpAddress a) {
        return new BigInteger(1, new byte[] {
            (byte) (a.high() >>> 56), (byte) (a.high() >>> 48), (byte) (a.high() >>> 40), (byte) (a.high() >>> 32),
            (byte) (a.high() >>> 24), (byte) (a.high() >>> 16), (byte) (a.high() >>> 8), (byte) a.high(),
            (byte) (a.low() >>> 56), (byte) (a.low() >>> 48), (byte) (a.low() >>> 40), (byte) (a.low() >>> 32),
            (byte) (a.low() >>> 24), (byte) (a.low() >>> 16), (byte) (a.low() >>> 8), (byte) a.low()});
    }
}
