package io.gatehouse.ip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

class CidrTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvFileSource(resources = "cidrs.csv", delimiter = '|')
    void parsesAndNormalises(String input, String canonical, boolean ipv4, boolean hostBits) {
        Cidr c = Cidr.parse(input);
        assertThat(c).hasToString(canonical);
        assertThat(c.isIpv4()).isEqualTo(ipv4);
        assertThat(c.hadHostBits()).isEqualTo(hostBits);
        assertThat(Cidr.parse(canonical)).isEqualTo(c);
        assertThat(c.contains(c.network())).isTrue();
    }

    @ParameterizedTest(name = "{0}: {1} at {2}")
    @CsvFileSource(resources = "cidrs-invalid.csv", delimiter = '|')
    void rejectsNamingReasonAndIndex(String input, String fragment, int index) {
        assertThatThrownBy(() -> Cidr.parse(input))
                .isInstanceOfSatisfying(IpParseException.class, e -> {
                    assertThat(e.getMessage()).startsWith("invalid CIDR block ").contains(fragment)
                            .endsWith("at index " + index);
                    assertThat(e.index()).isEqualTo(index);
                });
    }

    @Test
    void designExampleMessage() {
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33"))
                .hasMessage("invalid CIDR block \"10.0.0.0/33\": prefix 33 exceeds 32 at index 9");
    }

    @Test
    void containsRespectsPrefix() {
        Cidr c = Cidr.parse("192.168.0.0/31");
        assertThat(c.contains(IpAddress.parse("192.168.0.1"))).isTrue();
        assertThat(c.contains(IpAddress.parse("192.168.0.2"))).isFalse();
        assertThat(c.contains(IpAddress.parse("::ffff:192.168.0.1"))).isTrue();
        assertThat(Cidr.parse("::/0").contains(IpAddress.parse("1.2.3.4"))).isFalse();
        assertThat(Cidr.parse("::/0").contains(IpAddress.parse("::ffff:1.2.3.4"))).isFalse();
        assertThat(Cidr.parse("::/0").contains(IpAddress.parse("::1.2.3.4"))).isTrue();
        assertThat(Cidr.parse("::ffff:0:0/96").contains(IpAddress.parse("1.2.3.4"))).isTrue();
        assertThat(Cidr.parse("::ffff:0:0/96").contains(IpAddress.parse("::1.2.3.4"))).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").contains(IpAddress.parse("::1"))).isFalse();
        assertThat(Cidr.of(IpAddress.parse("10.9.8.7"), 16)).hasToString("10.9.0.0/16");
        assertThatThrownBy(() -> Cidr.of(IpAddress.parse("10.9.8.7"), 33)).hasMessageContaining("33");
    }
}
