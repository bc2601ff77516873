package io.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.ip.IpAddress;
import io.gatehouse.proxy.ClientIp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProceedTest {
    private static final ClientIp CLIENT = ClientIp.of(IpAddress.parse("203.0.113.9"));

    /** RFC 3986 section 5.4's examples where they apply (base {@code /b/c/d;p}), and the servlet cases. */
    @ParameterizedTest(name = "[{index}] {0} {1} from {2}: {3}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            true  | app.example      | /b/c/d;p | /app         | https://app.example/app
            true  | app.example:8443 | /b/c/d;p | /app?x=1#f   | https://app.example:8443/app?x=1#f
            false | app.example:80   | /b/c/d;p | /app         | http://app.example/app
            false | 127.0.0.1:8080   | /b/c/d;p | g            | http://127.0.0.1:8080/b/c/g
            true  | a                | /b/c/d;p | ./g          | https://a/b/c/g
            true  | a                | /b/c/d;p | g/           | https://a/b/c/g/
            true  | a                | /b/c/d;p | ?y           | https://a/b/c/d;p?y
            true  | a                | /b/c/d;p | g?y#s        | https://a/b/c/g?y#s
            true  | a                | /b/c/d;p | #s           | https://a/b/c/d;p#s
            true  | a                | /b/c/d;p | .            | https://a/b/c/
            true  | a                | /b/c/d;p | ..           | https://a/b/
            true  | a                | /b/c/d;p | ../..        | https://a/
            true  | a                | /b/c/d;p | ../../../g   | https://a/g
            true  | a                | /b/c/d;p | /./g         | https://a/g
            true  | a                | /b/c/d;p | g/../h/./i   | https://a/b/c/h/i
            true  | a                | /b/c/d;p | ''           | https://a/b/c/d;p
            true  | a                | /b/c/d;p | //cdn.example/x | https://cdn.example/x
            true  | [2001:db8::1]:8443 | /x     | y            | https://[2001:db8::1]:8443/y
            true  | a                | /x       | http://other.example/y | http://other.example/y
            true  | a                | /x       | mailto:a@b   | mailto:a@b
            true  | a                | /x       | NULL         | NULL
            true  | evil.example/x?  | /x       | /y           | /y
            true  | a b              | /x       | /y           | /y
            """)
    void locationResolvesAgainstTheResolvedUrl(boolean https, String authority, String path, String location, String expected) {
        Outcome.Proceed p = new Outcome.Proceed(CLIENT, https, authority);
        assertThat(p.location(location, "fallback.example", path)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] no Host, fallback {0}: {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            server.example | https://server.example/y
            NULL           | /y
            0:0:0:0:0:0:0:1 | /y
            """)
    void withoutAHostTheFallbackNamesTheServer(String fallback, String expected) {
        assertThat(new Outcome.Proceed(CLIENT, true, null).location("/y", fallback, "/x")).isEqualTo(expected);
    }
}
