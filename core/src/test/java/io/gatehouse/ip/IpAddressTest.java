package io.gatehouse.ip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

class IpAddressTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvFileSource(resources = "addresses-valid.csv", delimiter = '|')
    void parsesValidLiterals(String input, String canonical, boolean ipv4) throws Exception {
        IpAddress a = IpAddress.parse(input);
        assertThat(a).hasToString(canonical);
        assertThat(a.isIpv4()).isEqualTo(ipv4);
        // The canonical form parses back to the same value.
        assertThat(IpAddress.parse(canonical)).isEqualTo(a);
        // The JDK agrees on the bytes (InetAddress is given a literal here, so no DNS is involved).
        byte[] jdk = InetAddress.getByName(input).getAddress();
        assertThat(IpAddress.ofBytes(jdk)).isEqualTo(a);
    }

    @ParameterizedTest(name = "{0}: {1} at {2}")
    @CsvFileSource(resources = "addresses-invalid.csv", delimiter = '|', ignoreLeadingAndTrailingWhitespace = false)
    void rejectsInvalidLiteralsNamingReasonAndIndex(String input, String fragment, int index) {
        String text = input == null ? "" : input;
        assertThatThrownBy(() -> IpAddress.parse(text))
                .isInstanceOfSatisfying(IpParseException.class, e -> {
                    assertThat(e.reason()).contains(fragment);
                    assertThat(e.index()).isEqualTo(index);
                    assertThat(e.getMessage()).startsWith("invalid IP address ").contains(fragment)
                            .endsWith("at index " + index);
                });
        if (!text.contains("%")) {
            assertThat(IpAddress.tryParse(text)).isEmpty();
        }
    }

    @Test
    void requestDataIgnoresZoneIds() {
        assertThat(IpAddress.tryParse("fe80::1%eth0")).contains(IpAddress.parse("fe80::1"));
        assertThat(IpAddress.tryParse("fe80::1%")).isEmpty();
        assertThat(IpAddress.tryParse(null)).isEmpty();
    }

    @Test
    void mappedAddressesAreIpv4() {
        IpAddress mapped = IpAddress.parse("::ffff:10.1.2.3");
        assertThat(mapped).isEqualTo(IpAddress.parse("10.1.2.3"));
        assertThat(mapped.ipv4Bits()).isEqualTo(0x0a010203);
        assertThat(mapped.toBytes()).containsExactly(10, 1, 2, 3);
        assertThat(IpAddress.ofIpv4(0x7f000001)).hasToString("127.0.0.1");
    }

    @Test
    void echoedInputIsQuotedAndEscaped() {
        assertThatThrownBy(() -> IpAddress.parse("1.2.3.4\r\nX-Injected: yes"))
                .hasMessageContaining("\"1.2.3.4\\r\\nX-Injected: yes\"")
                .hasMessageNotContaining("\n");
        String longInput = "1".repeat(500);
        assertThatThrownBy(() -> IpAddress.parse(longInput)).hasMessageContaining("(500 chars)");
    }

    @Test
    void ordersByValue() {
        assertThat(IpAddress.parse("1.2.3.4")).isLessThan(IpAddress.parse("1.2.3.5"));
        assertThat(IpAddress.parse("::1")).isLessThan(IpAddress.parse("1.2.3.4"));
        assertThat(IpAddress.parse("1.2.3.4")).isLessThan(IpAddress.parse("2001:db8::"));
        assertThat(IpAddress.parse("ffff::")).isGreaterThan(IpAddress.parse("8000::"));
    }

    @ParameterizedTest(name = "{0} before {1} -> {2}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "1.2.3.4|7|0", "x, 10.1.2.3|11|3", "a:1.2.3.4|9|2", "[1.2.3.4]|8|1", "1.2.3.4, 5.6.7.8|7|0",
        "255.255.255.255|15|0", "0.0.0.0|7|0",
        "1.2.3|5|-1", "1.2.3.4.5|9|-1", "01.2.3.4|8|-1", "1.2.3.04|8|-1", "256.1.2.3|9|-1", "1.2.3.256|9|-1",
        "1..3.4|6|-1", "1.2.3.4.|8|-1", ".1.2.3.4|8|-1", "91.2.3.4|8|0", "1234.2.3.4|10|-1", "x|1|-1",
        "1.2.3.4|6|-1"})
    void parsesAnIpv4QuadRightToLeft(String text, int end, int start) {
        MutableIpAddress m = new MutableIpAddress();
        m.set(IpAddress.parse("::1"));
        assertThat(m.parseIpv4Before(text, 0, end)).isEqualTo(start);
        if (start >= 0) {
            assertThat(m.toIpAddress()).isEqualTo(IpAddress.parse(text.substring(start, end)));
        } else {
            assertThat(m.toIpAddress()).as("unchanged on failure").isEqualTo(IpAddress.parse("::1"));
        }
        assertThat(m.parseIpv4Before(text, end, end)).isEqualTo(-1);
        assertThatThrownBy(() -> m.parseIpv4Before(text, 0, text.length() + 1))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }
}
