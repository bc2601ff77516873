package io.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.ip.Cidr;
import io.gatehouse.ip.CidrSet;
import io.gatehouse.ip.IpAddress;
import io.gatehouse.ip.MutableIpAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/**
 * Tomcat's own {@code RemoteIpValve} test chains and Spring Framework's {@code X-Forwarded-For} cases
 * ({@code /vectors/forwarded-chains.csv}), and RFC 7239
 * {@code Forwarded} cases from Spring Framework's tests and the RFC's examples
 * ({@code /vectors/forwarded-headers.csv}), each file naming its sources and licences: the client
 * address and the scheme Gatehouse resolves for each, as SPEC.md sections 3 and 9 require. Rows where
 * SPEC differs from the source say why.
 */
class ForeignForwardedVectorsTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvFileSource(resources = "/vectors/forwarded-chains.csv", delimiter = '|', quoteCharacter = '`',
            ignoreLeadingAndTrailingWhitespace = false)
    void tomcatRemoteIpValveChains(String test, String trusted, String peer, String xff, String xfp,
                                   boolean tls, String expectedClient, boolean expectedHttps, String why) {
        Map<String, List<String>> headers = new HashMap<>();
        if (xff != null) {
            headers.put("X-Forwarded-For", Arrays.stream(xff.split("##", -1)).map(String::strip).toList());
        }
        if (xfp != null) {
            headers.put("X-Forwarded-Proto", Arrays.stream(xfp.split("##", -1)).map(String::strip).toList());
        }
        check(test, resolver(trusted, ForwardedHeader.X_FORWARDED_FOR), peer, HeaderLookup.of(headers), tls, expectedClient,
                expectedHttps, why);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvFileSource(resources = "/vectors/forwarded-headers.csv", delimiter = '|', quoteCharacter = '`',
            ignoreLeadingAndTrailingWhitespace = false)
    void rfc7239ForwardedHeaders(String test, String trusted, String peer, String forwarded,
                                 String expectedClient, boolean expectedHttps, String why) {
        HeaderLookup lookup = HeaderLookup.of(
                Map.of("Forwarded", Arrays.stream(forwarded.split("##", -1)).map(String::strip).toList()));
        check(test, resolver(trusted, ForwardedHeader.FORWARDED), peer, lookup, false, expectedClient, expectedHttps, why);
    }

    /** Behind a proxy, trusting the {@code ;}-separated blocks, reading {@code header}. */
    private static ClientIpResolver resolver(String trusted, ForwardedHeader header) {
        List<Cidr> blocks = new ArrayList<>();
        for (String t : trusted.split(";")) {
            blocks.add(Cidr.parse(t));
        }
        return ClientIpResolver.builder()
                .behindProxy(true)
                .trustedProxies(CidrSet.of(blocks))
                .headers(List.of(header))
                .logWarnings(false)
                .build();
    }

    /** The client both resolve methods find, and the scheme, against the row's expectation. */
    private static void check(String test, ClientIpResolver resolver, String peer, HeaderLookup lookup, boolean tls,
                              String expectedClient, boolean expectedHttps, String why) {
        IpAddress peerAddress = IpAddress.parse(peer);

        ClientIp result = resolver.resolve(peerAddress, lookup);
        MutableIpAddress into = new MutableIpAddress();
        boolean resolved = resolver.resolve(peerAddress, lookup, into);
        if (expectedClient.equals("UNRESOLVED")) {
            assertThat(result).as("%s %s", test, why).isInstanceOf(ClientIp.Unresolved.class);
            assertThat(resolved).isFalse();
        } else {
            assertThat(result).as("%s %s", test, why).isEqualTo(ClientIp.of(IpAddress.parse(expectedClient)));
            assertThat(resolved).isTrue();
            assertThat(into.toIpAddress()).isEqualTo(IpAddress.parse(expectedClient));
        }
        assertThat(resolver.isHttps(peerAddress, lookup, tls)).as("%s: https %s", test, why).isEqualTo(expectedHttps);
    }
}
