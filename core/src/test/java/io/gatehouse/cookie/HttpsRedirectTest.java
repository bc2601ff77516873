package io.gatehouse.cookie;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

class HttpsRedirectTest {

    @ParameterizedTest(name = "[{index}] {2} {3}{4} https={6} -> {7}")
    @CsvFileSource(resources = "redirects.csv", delimiter = '|', quoteCharacter = '`', ignoreLeadingAndTrailingWhitespace = false)
    void decides(boolean secure, boolean disabled, String method, String host, String path, String query,
                 boolean https, String expected) {
        String h = host == null ? null : host.replace("\\r\\n", "\r\n");
        HttpsRedirect.Decision d = HttpsRedirect.of(secure, disabled, "/report", m -> { })
                .decide(method, h, path, query, https);
        switch (expected) {
            case "PROCEED" -> assertThat(d).isInstanceOf(HttpsRedirect.Proceed.class);
            case "BAD_HOST" -> assertThat(d).isInstanceOf(HttpsRedirect.BadHost.class);
            default -> {
                int status = Integer.parseInt(expected.substring(0, 3));
                assertThat(d).isEqualTo(new HttpsRedirect.Redirect(status, expected.substring(4)));
            }
        }
    }

    @Test
    void warnsOnceAboutPlainHttpWithSecureCookies() {
        List<String> warnings = new ArrayList<>();
        HttpsRedirect r = HttpsRedirect.of(true, true, "/report", warnings::add);
        r.decide("GET", "a", "/", null, true);
        assertThat(warnings).isEmpty();
        r.decide("GET", "a", "/", null, false);
        r.decide("GET", "a", "/", null, false);
        assertThat(warnings).singleElement().asString().contains("logins will fail");
        List<String> none = new ArrayList<>();
        HttpsRedirect.of(false, false, "/report", none::add).decide("GET", "a", "/", null, false);
        assertThat(none).isEmpty();
    }

    @Test
    void controlCharactersInPathOrQueryAreNotEchoed() {
        HttpsRedirect r = HttpsRedirect.of(true, false, "/report", m -> { });
        assertThat(r.decide("GET", "a.com", "/x\r\nSet-Cookie: y", "q=\r\n", false))
                .isEqualTo(new HttpsRedirect.Redirect(301, "https://a.com/"));
    }
}
