package io.gatehouse.ip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;
import org.junit.jupiter.params.provider.CsvSource;

class CidrSetTest {

    /** PostHog's own allow-list test (posthog/test/test_middleware.py) is the acceptance table. */
    @ParameterizedTest(name = "{0} allowed={1}")
    @CsvSource({
        "192.168.0.1, true", "127.0.0.1, true", "127.0.0.100, true", "128.0.0.1, true",
        "10.0.0.1, false", "192.168.0.2, false", "127.0.0.200, false", "128.0.0.2, false",
        "::ffff:127.0.0.1, true", "::ffff:10.0.0.1, false"})
    void posthogAcceptanceTable(String client, boolean allowed) {
        CidrSet set = CidrSet.of(Cidr.parse("192.168.0.0/31"), Cidr.parse("127.0.0.0/25"), Cidr.parse("128.0.0.1"));
        assertThat(set.contains(client)).isEqualTo(allowed);
        assertThat(set.contains(IpAddress.parse(client))).isEqualTo(allowed);
    }

    /** SPEC 2, no cross-family match: every lookup form gives the vector's answer, and so does each rule alone. */
    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvFileSource(resources = "families.csv", delimiter = '|')
    void ipv6RulesNeverMatchIpv4Clients(String rules, String client, boolean expected) {
        List<Cidr> blocks = new ArrayList<>();
        for (String r : rules.split(";")) {
            blocks.add(Cidr.parse(r));
        }
        CidrSet set = CidrSet.of(blocks);
        assertThat(set.contains(client)).isEqualTo(expected);
        assertThat(set.match("[" + client + "]", 1, client.length() + 1)).isEqualTo(expected ? CidrSet.MATCH : CidrSet.NO_MATCH);
        IpAddress address = IpAddress.tryParse(client).orElseThrow();
        assertThat(set.contains(address)).isEqualTo(expected);
        MutableIpAddress holder = new MutableIpAddress();
        assertThat(holder.parse(client, 0, client.length())).isTrue();
        assertThat(set.contains(holder)).isEqualTo(expected);
        assertThat(blocks.stream().anyMatch(b -> b.contains(address))).isEqualTo(expected);
        // The printed form of an IPv4-mapped client is IPv4 and gets the same answer.
        assertThat(set.contains(address.toString())).isEqualTo(expected);
    }

    @Test
    void matchIsTriState() {
        CidrSet set = CidrSet.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("2001:db8::/32"));
        assertThat(set.match("x10.1.2.3x", 1, 9)).isEqualTo(CidrSet.MATCH);
        assertThat(set.match("11.1.2.3", 0, 8)).isEqualTo(CidrSet.NO_MATCH);
        assertThat(set.match("2001:db8::1%eth0", 0, 16)).isEqualTo(CidrSet.MATCH);
        assertThat(set.match("not-an-ip", 0, 9)).isEqualTo(CidrSet.INVALID);
        assertThat(set.match("", 0, 0)).isEqualTo(CidrSet.INVALID);
        assertThat(set.contains("010.1.2.3")).isFalse();
    }

    @Test
    void emptySetMatchesNothing() {
        assertThat(CidrSet.empty().contains("1.2.3.4")).isFalse();
        assertThat(CidrSet.empty().contains("::")).isFalse();
        assertThat(CidrSet.of(List.of())).isSameAs(CidrSet.empty());
    }

    @Test
    void boundariesOfTheAddressSpace() {
        CidrSet all4 = CidrSet.of(Cidr.parse("0.0.0.0/0"));
        assertThat(all4.contains("0.0.0.0")).isTrue();
        assertThat(all4.contains("255.255.255.255")).isTrue();
        assertThat(all4.contains("::")).isFalse();
        assertThat(all4.contains("::fffe:ffff:ffff")).isFalse();
        CidrSet all6 = CidrSet.of(Cidr.parse("::/0"));
        assertThat(all6.contains("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")).isTrue();
        assertThat(all6.contains("::")).isTrue();
        assertThat(all6.contains("8.8.8.8")).isFalse();
        assertThat(all6.contains("::ffff:8.8.8.8")).isFalse();
        CidrSet everyone = CidrSet.of(Cidr.parse("0.0.0.0/0"), Cidr.parse("::/0"));
        assertThat(everyone.contains("8.8.8.8")).isTrue();
        assertThat(everyone.contains("::ffff:8.8.8.8")).isTrue();
        assertThat(everyone.contains("::")).isTrue();
        assertThat(everyone.contains("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")).isTrue();
        CidrSet top = CidrSet.of(Cidr.parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"), Cidr.parse("255.255.255.255"));
        assertThat(top.contains("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")).isTrue();
        assertThat(top.contains("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe")).isFalse();
        assertThat(top.contains("255.255.255.255")).isTrue();
        assertThat(top.contains("255.255.255.254")).isFalse();
    }

    @Test
    void overlappingAndAdjacentBlocksMerge() {
        CidrSet set = CidrSet.of(Cidr.parse("10.0.0.0/9"), Cidr.parse("10.128.0.0/9"), Cidr.parse("10.1.0.0/16"),
                Cidr.parse("2001:db8::/33"), Cidr.parse("2001:db8:8000::/33"));
        assertThat(set.contains("10.255.255.255")).isTrue();
        assertThat(set.contains("11.0.0.0")).isFalse();
        assertThat(set.contains("9.255.255.255")).isFalse();
        assertThat(set.contains("2001:db8:ffff::1")).isTrue();
        assertThat(set.contains("2001:db9::")).isFalse();
        assertThat(set.blocks()).hasSize(5);
    }

    @Test
    void largeRandomSetsAgreeWithLinearScan() {
        Random rnd = new Random(42);
        for (int size : new int[] {1, 2, 3, 100, 10_000, 100_000}) {
            List<Cidr> blocks = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                blocks.add(rnd.nextBoolean()
                        ? Cidr.of(IpAddress.ofIpv4(rnd.nextInt()), 8 + rnd.nextInt(25))
                        : Cidr.of(IpAddress.of128(0x2000_0000_0000_0000L | (rnd.nextLong() >>> 3), rnd.nextLong()),
                                16 + rnd.nextInt(113)));
            }
            CidrSet set = CidrSet.of(blocks);
            for (int i = 0; i < 2_000; i++) {
                IpAddress probe = i % 2 == 0
                        ? (rnd.nextBoolean() ? IpAddress.ofIpv4(rnd.nextInt())
                                : IpAddress.of128(0x2000_0000_0000_0000L | (rnd.nextLong() >>> 3), rnd.nextLong()))
                        : blocks.get(rnd.nextInt(size)).network();
                boolean expected = size > 5_000 ? scanSample(blocks, probe) : blocks.stream().anyMatch(b -> b.contains(probe));
                assertThat(set.contains(probe)).as("%s in %d blocks", probe, size).isEqualTo(expected);
                assertThat(set.contains(probe.toString())).isEqualTo(expected);
            }
        }
    }

    private static boolean scanSample(List<Cidr> blocks, IpAddress probe) {
        for (Cidr b : blocks) {
            if (b.contains(probe)) {
                return true;
            }
        }
        return false;
    }
}
