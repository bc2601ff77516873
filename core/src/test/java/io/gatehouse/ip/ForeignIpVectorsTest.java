package io.gatehouse.ip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/**
 * Other projects' own IP and CIDR test tables (Go's net/netip, Netty's NetUtil, Tomcat's NetMask and
 * RemoteIpValve, Python's ipaddress, Guava's InetAddresses, Spring Security's IpAddressMatcher), kept as data under {@code /vectors/}; each file names its sources and licences. The
 * expected value of every row is what SPEC.md sections 2 and 9 require; a row where that differs from
 * the source project says why in its last column.
 */
class ForeignIpVectorsTest {
    private static final String REJECT = "REJECT";

    @ParameterizedTest(name = "[{index}] {0}: \"{1}\" -> {2} / {3}")
    @CsvFileSource(resources = "/vectors/ip-addresses.csv", delimiter = '|', quoteCharacter = '`',
            ignoreLeadingAndTrailingWhitespace = false, maxCharsPerColumn = 65536)
    void addressLiterals(String source, String input, String config, String request, String why) {
        String text = input == null ? "" : input;
        if (config.equals(REJECT)) {
            assertThatThrownBy(() -> IpAddress.parse(text)).as("%s %s", source, why)
                    .isInstanceOfSatisfying(IpParseException.class, e -> {
                        assertThat(e.index()).isBetween(0, text.length());
                        assertThat(e.getMessage()).startsWith("invalid IP address ");
                    });
        } else {
            IpAddress a = IpAddress.parse(text);
            assertThat(a).as("%s %s", source, why).hasToString(config);
            assertThat(IpAddress.parse(config)).isEqualTo(a);
        }
        Optional<IpAddress> fromRequest = IpAddress.tryParse(text);
        if (request.equals(REJECT)) {
            assertThat(fromRequest).as("%s %s", source, why).isEmpty();
        } else {
            assertThat(fromRequest).as("%s %s", source, why).isPresent();
            assertThat(fromRequest.orElseThrow()).hasToString(request);
            // The allocation-free holder and a set that holds exactly this address agree.
            MutableIpAddress m = new MutableIpAddress();
            assertThat(m.parse(text, 0, text.length())).isTrue();
            assertThat(m.toIpAddress()).isEqualTo(fromRequest.orElseThrow());
            CidrSet exact = CidrSet.of(Cidr.of(fromRequest.orElseThrow(), fromRequest.orElseThrow().isIpv4() ? 32 : 128));
            assertThat(exact.contains(text)).isTrue();
        }
    }

    @ParameterizedTest(name = "[{index}] {0}: \"{1}\" -> {2}")
    @CsvFileSource(resources = "/vectors/cidrs.csv", delimiter = '|', quoteCharacter = '`',
            ignoreLeadingAndTrailingWhitespace = false)
    void cidrBlocks(String source, String input, String canonical, Boolean ipv4, Boolean hostBits, String why) {
        if (canonical.equals(REJECT)) {
            assertThatThrownBy(() -> Cidr.parse(input)).as("%s %s", source, why)
                    .isInstanceOfSatisfying(IpParseException.class, e -> {
                        assertThat(e.index()).isBetween(0, input.length());
                        assertThat(e.getMessage()).startsWith("invalid CIDR block ");
                    });
            return;
        }
        Cidr c = Cidr.parse(input);
        assertThat(c).as("%s %s", source, why).hasToString(canonical);
        assertThat(c.isIpv4()).as("isIpv4").isEqualTo(ipv4);
        assertThat(c.hadHostBits()).as("hadHostBits").isEqualTo(hostBits);
        Cidr again = Cidr.parse(canonical);
        assertThat(again).isEqualTo(c);
        assertThat(again.hadHostBits()).isFalse();
        assertThat(c.contains(c.network())).isTrue();
    }

    @ParameterizedTest(name = "[{index}] {0}: {1} contains {2}: {3}")
    @CsvFileSource(resources = "/vectors/cidr-contains.csv", delimiter = '|', quoteCharacter = '`',
            ignoreLeadingAndTrailingWhitespace = false)
    void membership(String source, String rules, String client, boolean expected, String why) {
        List<Cidr> blocks = new ArrayList<>();
        for (String r : rules.split(";")) {
            blocks.add(Cidr.parse(r));
        }
        IpAddress address = IpAddress.parse(client);
        CidrSet set = CidrSet.of(blocks);
        assertThat(set.contains(address)).as("%s %s", source, why).isEqualTo(expected);
        assertThat(set.contains(client)).as("text form").isEqualTo(expected);
        assertThat(set.match(client, 0, client.length())).isEqualTo(expected ? CidrSet.MATCH : CidrSet.NO_MATCH);
        assertThat(blocks.stream().anyMatch(b -> b.contains(address))).as("each block alone").isEqualTo(expected);
    }
}
