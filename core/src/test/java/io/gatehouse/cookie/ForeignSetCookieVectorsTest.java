package io.gatehouse.cookie;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/**
 * Go's own {@code net/http} Set-Cookie test tables ({@code /vectors/set-cookies.csv}, which names its
 * source and licence): how Gatehouse reads each header and what the cookie policy sends instead, with
 * {@code SECURE_COOKIES} on and off, as SPEC.md section 5 requires. Rows where SPEC differs from Go
 * say why.
 */
class ForeignSetCookieVectorsTest {

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @CsvFileSource(resources = "/vectors/set-cookies.csv", delimiter = '|', quoteCharacter = '`',
            ignoreLeadingAndTrailingWhitespace = false)
    void goSetCookieTables(String test, String header, String name, String value, String secureOn, String secureOff,
                           String why) {
        String h = header == null ? "" : header;
        Optional<SetCookie> parsed = SetCookie.parse(h);
        if (name.equals("NONE")) {
            assertThat(parsed).as("%s %s", test, why).isEmpty();
        } else {
            assertThat(parsed).as("%s %s", test, why).isPresent();
            assertThat(parsed.orElseThrow().name()).isEqualTo(name);
            assertThat(parsed.orElseThrow().value()).as("%s %s", test, why).isEqualTo(value == null ? "" : value);
        }

        CookiePolicy on = CookiePolicy.builder().secureCookies(true).reporter(m -> { }).build();
        CookiePolicy off = CookiePolicy.builder().secureCookies(false).reporter(m -> { }).build();
        String outOn = on.apply(h);
        String outOff = off.apply(h);
        assertThat(outOn).as("%s on: %s", test, why).isEqualTo(secureOn);
        assertThat(outOff).as("%s off: %s", test, why).isEqualTo(secureOff.equals("SAME") ? h : secureOff);
        // Fixed points, and a Secure the browser will see whenever secure cookies are on.
        assertThat(on.apply(outOn)).isEqualTo(outOn);
        assertThat(off.apply(outOff)).isEqualTo(outOff);
        SetCookie.parse(outOn).ifPresent(c -> assertThat(c.has("Secure")).isTrue());
        if (parsed.isPresent()) {
            assertThat(SetCookie.parse(outOn)).isPresent();
            assertThat(SetCookie.parse(outOn).orElseThrow().value()).isEqualTo(parsed.orElseThrow().value());
        }
    }
}
