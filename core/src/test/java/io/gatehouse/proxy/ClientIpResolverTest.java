package io.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.ip.Cidr;
import io.gatehouse.ip.CidrSet;
import io.gatehouse.ip.IpAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;
import org.junit.jupiter.params.provider.CsvSource;

class ClientIpResolverTest {

    @ParameterizedTest(name = "[{index}] peer {5}, {6}: {7} -> {8}")
    @CsvFileSource(resources = "chains.csv", delimiter = '|', quoteCharacter = '`', ignoreLeadingAndTrailingWhitespace = false)
    void resolvesChains(boolean behind, String trusted, boolean trustAll, String headers, int maxHops,
                        String peer, String header, String values, String expected) {
        List<Cidr> blocks = new ArrayList<>();
        boolean unix = false;
        if (trusted != null) {
            for (String t : trusted.split(";")) {
                if (t.equals("unix:")) {
                    unix = true;
                } else {
                    blocks.add(Cidr.parse(t));
                }
            }
        }
        ClientIpResolver resolver = ClientIpResolver.builder()
                .behindProxy(behind)
                .trustedProxies(CidrSet.of(blocks))
                .trustUnixSocketProxies(unix)
                .trustAllProxies(trustAll)
                .headers(Arrays.stream(headers.split(";")).map(ForwardedHeader::fromHeaderName).toList())
                .maxForwardedHops(maxHops)
                .logWarnings(false)
                .build();
        List<String> instances = values == null ? List.of("") : Arrays.stream(values.split("##", -1)).map(String::strip).toList();
        HeaderLookup lookup = HeaderLookup.of(Map.of(header, instances));

        // A peer "unix:" is a Unix domain socket: no IP address.
        IpAddress peerAddress = peer.equals("unix:") ? null : IpAddress.parse(peer);
        ClientIp result = resolver.resolve(peerAddress, lookup);
        // The allocation-free form agrees on every vector.
        io.gatehouse.ip.MutableIpAddress into = new io.gatehouse.ip.MutableIpAddress();
        into.set(IpAddress.parse("192.0.2.99"));
        boolean resolved = resolver.resolve(peerAddress, lookup, into);
        assertThat(resolved).isEqualTo(result instanceof ClientIp.Resolved);
        if (resolved) {
            assertThat(into.toIpAddress()).isEqualTo(result.resolvedAddress().orElseThrow());
        } else {
            assertThat(into.isSet()).isFalse();
        }

        if (expected.startsWith("UNRESOLVED:")) {
            assertThat(result).isInstanceOfSatisfying(ClientIp.Unresolved.class,
                    u -> assertThat(u.reason()).contains(expected.substring("UNRESOLVED:".length())));
        } else {
            assertThat(result).isEqualTo(ClientIp.of(IpAddress.parse(expected)));
        }
    }

    private static final ClientIpResolver TRUSTING_10 = ClientIpResolver.builder()
            .behindProxy(true).trustedProxies(CidrSet.of(Cidr.parse("10.0.0.0/8"))).logWarnings(false).build();

    /**
     * SPEC 3 and 9: the right-most {@code X-Forwarded-Proto} value (across lines and comma lists) is
     * the one the trusted peer wrote; a value further left, which a client may have sent, never decides.
     */
    @ParameterizedTest(name = "[{index}] X-Forwarded-Proto: {0} -> https={1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "https, http|false", "https ## http|false", "http, https|true", "http ## https|true",
        "HTTPS|true", "`  HtTpS\t`|true", "https|true", "http|false", "https, http, https|true",
        "https ## http, ftp|false", "http ## https,|true", "http ## https, , ##|true", "https ## ## , |true",
        "``|false", "` , `|false", "httpss|false", "https;x|false", "http s|false", "\u017fhttps|false",
        "http\u017f|false", "`https\u0000`|false", "`\u00a0https`|false", "wss, https|true"})
    void rightMostForwardedProtoDecides(String lines, boolean https) {
        List<String> values = Arrays.asList(lines.split("##", -1));
        HeaderLookup headers = HeaderLookup.of(Map.of("X-Forwarded-Proto", values));
        assertThat(TRUSTING_10.isHttps(IpAddress.parse("10.0.0.1"), headers, false)).isEqualTo(https);
        ClientIpResolver trustAll = ClientIpResolver.builder().behindProxy(true).trustAllProxies(true).logWarnings(false).build();
        assertThat(trustAll.isHttps(IpAddress.parse("203.0.113.1"), headers, false)).isEqualTo(https);
        assertThat(TRUSTING_10.isHttps(IpAddress.parse("203.0.113.1"), headers, false)).isFalse();
        assertThat(TRUSTING_10.isHttps(IpAddress.parse("203.0.113.1"), headers, true)).isTrue();
    }

    @Test
    void schemeComesFromATrustedPeerOnly() {
        HeaderLookup https = HeaderLookup.of(Map.of("X-Forwarded-Proto", List.of("http, HTTPS")));
        assertThat(TRUSTING_10.isHttps(IpAddress.parse("10.0.0.1"), https, false)).isTrue();
        assertThat(TRUSTING_10.isHttps(IpAddress.parse("203.0.113.1"), https, false)).isFalse();
        HeaderLookup http = HeaderLookup.of(Map.of("X-Forwarded-Proto", List.of("https, http")));
        assertThat(TRUSTING_10.isHttps(IpAddress.parse("10.0.0.1"), http, false)).isFalse();
        assertThat(TRUSTING_10.isHttps(IpAddress.parse("203.0.113.1"), HeaderLookup.none(), true)).isTrue();
        // A trusted proxy's value decides over the connection it used (Tomcat's RemoteIpValve test
        // testInvokeXforwardedProtoSaysHttpForIncomingHttpsRequest): a client's plain-http request is not secure.
        assertThat(TRUSTING_10.isHttps(IpAddress.parse("10.0.0.1"), http, true)).isFalse();
        assertThat(TRUSTING_10.isHttps(IpAddress.parse("10.0.0.1"), HeaderLookup.of(Map.of("X-Forwarded-Proto", List.of("http"))), true))
                .isFalse();
        assertThat(TRUSTING_10.isHttps(IpAddress.parse("10.0.0.1"), https, true)).isTrue();
        assertThat(TRUSTING_10.isHttps(IpAddress.parse("10.0.0.1"), HeaderLookup.none(), true)).as("no value: the connection").isTrue();
        assertThat(TRUSTING_10.isHttps(IpAddress.parse("10.0.0.1"), HeaderLookup.of(Map.of("X-Forwarded-Proto", List.of(" , "))), true))
                .as("only empty elements: the connection").isTrue();
        assertThat(TRUSTING_10.isHttps(IpAddress.parse("203.0.113.1"), http, true)).as("untrusted peer: the connection").isTrue();
        ClientIpResolver notBehind = ClientIpResolver.builder().trustedProxies(CidrSet.of(Cidr.parse("10.0.0.0/8"))).build();
        assertThat(notBehind.isHttps(IpAddress.parse("10.0.0.1"), https, false)).isFalse();
        ClientIpResolver trustAll = ClientIpResolver.builder().behindProxy(true).trustAllProxies(true).logWarnings(false).build();
        assertThat(trustAll.isHttps(IpAddress.parse("203.0.113.1"), https, false)).isTrue();
    }

    /** SPEC 3: Forwarded's proto, when Forwarded is a configured header and X-Forwarded-Proto is absent, from the right-most element. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "for=1.2.3.4;proto=https                                  | true",
        "for=1.2.3.4;PROTO=\"HTTPS\"                               | true",
        "for=6.6.6.6;proto=https, for=1.2.3.4                     | false",
        "for=6.6.6.6;proto=https, for=1.2.3.4;proto=http          | false",
        "for=6.6.6.6;proto=http, for=1.2.3.4;proto=https          | true",
        "for=6.6.6.6;proto=https##for=1.2.3.4;proto=http          | false",
        "for=6.6.6.6;proto=http##for=1.2.3.4;proto=https          | true",
        "proto=https;for=1.2.3.4;by=10.0.0.1                      | true",
        "for=1.2.3.4;proto=https;proto=http                       | false",
        "for=1.2.3.4;proto=httpsx                                 | false",
        "for=\"1.2.3.4;proto=https                                 | false",
        "for=1.2.3.4                                              | false",
    })
    void forwardedProtoFromTheRightMostElement(String lines, boolean https) {
        HeaderLookup headers = HeaderLookup.of(Map.of("Forwarded", Arrays.asList(lines.split("##", -1))));
        ClientIpResolver forwarded = ClientIpResolver.builder().behindProxy(true).trustedProxies(CidrSet.of(Cidr.parse("10.0.0.0/8")))
                .headers(List.of(ForwardedHeader.FORWARDED)).logWarnings(false).build();
        assertThat(forwarded.isHttps(IpAddress.parse("10.0.0.1"), headers, false)).as(lines).isEqualTo(https);
        assertThat(forwarded.isHttps(IpAddress.parse("203.0.113.1"), headers, false)).as("untrusted peer").isFalse();
        assertThat(TRUSTING_10.isHttps(IpAddress.parse("10.0.0.1"), headers, false))
                .as("Forwarded is not a configured header: its proto is not read").isFalse();
        HeaderLookup both = HeaderLookup.of(Map.of("Forwarded", List.of(lines.split("##", -1)), "X-Forwarded-Proto", List.of("http")));
        assertThat(forwarded.isHttps(IpAddress.parse("10.0.0.1"), both, false)).as("X-Forwarded-Proto first").isFalse();
    }

    @Test
    void noPeerIsUnresolved() {
        assertThat(TRUSTING_10.resolve(null, HeaderLookup.none())).isInstanceOf(ClientIp.Unresolved.class);
    }

    private static final HeaderLookup XFF_AND_HTTPS = HeaderLookup.of(Map.of(
            "X-Forwarded-For", List.of("6.6.6.6, 1.1.1.1, 10.0.0.2"), "X-Forwarded-Proto", List.of("http, https")));

    /** SPEC 1 and 3: with {@code unix:} listed, a peer without an IP address is a trusted proxy. */
    @Test
    void unixSocketPeerIsATrustedProxyWhenListed() {
        ClientIpResolver unixAnd10 = ClientIpResolver.builder().behindProxy(true)
                .trustedProxies(CidrSet.of(Cidr.parse("10.0.0.0/8"))).trustUnixSocketProxies(true).logWarnings(false).build();
        assertThat(unixAnd10.trustsUnixSocketProxies()).isTrue();
        assertThat(unixAnd10.resolve(null, XFF_AND_HTTPS)).isEqualTo(ClientIp.of(IpAddress.parse("1.1.1.1")));
        assertThat(unixAnd10.isHttps(null, XFF_AND_HTTPS, false)).isTrue();
        assertThat(unixAnd10.isHttps(null, HeaderLookup.of(Map.of("X-Forwarded-Proto", List.of("https", "http"))), false))
                .isFalse();
        // An IP peer is judged by its address as before: unix: trusts no IP address.
        assertThat(unixAnd10.resolve(IpAddress.parse("203.0.113.9"), XFF_AND_HTTPS))
                .isEqualTo(ClientIp.of(IpAddress.parse("203.0.113.9")));
        assertThat(unixAnd10.isHttps(IpAddress.parse("203.0.113.9"), XFF_AND_HTTPS, false)).isFalse();

        ClientIpResolver unixOnly = ClientIpResolver.builder().behindProxy(true).trustUnixSocketProxies(true)
                .logWarnings(false).build();
        assertThat(unixOnly.usesForwardedHeaders()).isTrue();
        assertThat(unixOnly.warnings()).isEmpty();
        assertThat(unixOnly.resolve(null, XFF_AND_HTTPS)).isEqualTo(ClientIp.of(IpAddress.parse("10.0.0.2")));
        assertThat(unixOnly.toString()).contains("trustUnixSocketProxies=true");
        ClientIpResolver forwarded = ClientIpResolver.builder().behindProxy(true).trustUnixSocketProxies(true)
                .headers(List.of(ForwardedHeader.FORWARDED)).logWarnings(false).build();
        assertThat(forwarded.resolve(null, HeaderLookup.of(Map.of("Forwarded", List.of("for=\"[2001:db8::7]:443\";proto=https")))))
                .isEqualTo(ClientIp.of(IpAddress.parse("2001:db8::7")));

        // No usable entry: the client would be the socket itself, which has no address.
        io.gatehouse.ip.MutableIpAddress into = new io.gatehouse.ip.MutableIpAddress();
        for (HeaderLookup h : List.of(HeaderLookup.none(), HeaderLookup.of(Map.of("X-Forwarded-For", List.of(" , ,"))))) {
            assertThat(unixAnd10.resolve(null, h)).isInstanceOfSatisfying(ClientIp.Unresolved.class,
                    u -> assertThat(u.reason()).contains("Unix").contains("X-Forwarded-For"));
            into.set(IpAddress.parse("192.0.2.99"));
            assertThat(unixAnd10.resolve(null, h, into)).isFalse();
            assertThat(into.isSet()).isFalse();
        }
        assertThat(unixAnd10.resolve(null, HeaderLookup.of(Map.of("X-Forwarded-For", List.of("1.1.1.1, garbage")))))
                .isInstanceOfSatisfying(ClientIp.Unresolved.class, u -> assertThat(u.reason()).contains("\"garbage\""));
    }

    /** Without {@code unix:}, a peer without an IP address leaves the client unresolved, and the scheme http. */
    @Test
    void unixSocketPeerIsUnresolvedUnlessListed() {
        ClientIpResolver trustAll = ClientIpResolver.builder().behindProxy(true).trustAllProxies(true).logWarnings(false).build();
        ClientIpResolver notBehind = ClientIpResolver.builder().trustUnixSocketProxies(true).logWarnings(false).build();
        for (ClientIpResolver r : List.of(TRUSTING_10, trustAll, notBehind)) {
            assertThat(r.trustsUnixSocketProxies()).isEqualTo(r == notBehind);
            assertThat(r.resolve(null, XFF_AND_HTTPS)).as("%s", r).isInstanceOfSatisfying(ClientIp.Unresolved.class,
                    u -> assertThat(u.reason()).contains("no peer IP address"));
            assertThat(r.isHttps(null, XFF_AND_HTTPS, false)).isFalse();
            assertThat(r.isHttps(null, XFF_AND_HTTPS, true)).isTrue();
        }
        assertThat(TRUSTING_10.resolve(null, XFF_AND_HTTPS)).isInstanceOfSatisfying(ClientIp.Unresolved.class,
                u -> assertThat(u.reason()).contains("unix:"));
    }

    @Test
    void warnsAboutSpoofableOrUselessConfigurations() {
        assertThat(ClientIpResolver.builder().behindProxy(true).trustAllProxies(true).logWarnings(false).build().warnings())
                .singleElement().asString().contains("TRUST_ALL_PROXIES").contains("forge");
        assertThat(ClientIpResolver.builder().behindProxy(true).logWarnings(false).build().warnings())
                .singleElement().asString().contains("TRUSTED_PROXIES");
        assertThat(TRUSTING_10.warnings()).isEmpty();
    }

    @Test
    void hugeHeadersAreBoundedAndNeverThrow() {
        String junk = "x, ".repeat(200_000) + "1.1.1.1";
        ClientIp r = TRUSTING_10.resolve(IpAddress.parse("10.0.0.1"), HeaderLookup.of(Map.of("X-Forwarded-For", List.of(junk))));
        assertThat(r).isEqualTo(ClientIp.of(IpAddress.parse("1.1.1.1")));
        String trustedFlood = "10.0.0.1, ".repeat(100_000) + "10.0.0.2";
        assertThat(TRUSTING_10.resolve(IpAddress.parse("10.0.0.1"), HeaderLookup.of(Map.of("X-Forwarded-For", List.of(trustedFlood)))))
                .isInstanceOfSatisfying(ClientIp.Unresolved.class, u -> assertThat(u.reason()).contains("more than 32"));
        ClientIpResolver fwd = ClientIpResolver.builder().behindProxy(true).trustedProxies(CidrSet.of(Cidr.parse("10.0.0.0/8")))
                .headers(List.of(ForwardedHeader.FORWARDED)).logWarnings(false).build();
        String fwdFlood = "for=10.0.0.3, ".repeat(100_000) + "for=1.1.1.1";
        assertThat(fwd.resolve(IpAddress.parse("10.0.0.1"), HeaderLookup.of(Map.of("Forwarded", List.of(fwdFlood)))))
                .isEqualTo(ClientIp.of(IpAddress.parse("1.1.1.1")));
        String controls = "\u0000\r\n\u0085 1.1.1.1\u2028";
        assertThat(TRUSTING_10.resolve(IpAddress.parse("10.0.0.1"), HeaderLookup.of(Map.of("X-Forwarded-For", List.of(controls)))))
                .isInstanceOfSatisfying(ClientIp.Unresolved.class, u -> assertThat(u.reason()).doesNotContain("\r", "\n", "\u0000"));
    }

    @Test
    void manyHeaderInstancesOnlyTheRightMostMatter() {
        List<String> instances = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            instances.add("junk");
        }
        instances.add("1.1.1.1");
        instances.add("10.0.0.9");
        assertThat(TRUSTING_10.resolve(IpAddress.parse("10.0.0.1"), HeaderLookup.of(Map.of("X-Forwarded-For", instances))))
                .isEqualTo(ClientIp.of(IpAddress.parse("1.1.1.1")));
    }

    @Test
    void headerNamesParseCaseInsensitively() {
        assertThat(ForwardedHeader.fromHeaderName(" x-real-ip ")).isEqualTo(ForwardedHeader.X_REAL_IP);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ForwardedHeader.fromHeaderName("X-Client-IP"))
                .hasMessageContaining("\"X-Client-IP\"").hasMessageContaining("X-Forwarded-For, Forwarded or X-Real-IP");
    }
}
