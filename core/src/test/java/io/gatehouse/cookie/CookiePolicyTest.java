package io.gatehouse.cookie;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

class CookiePolicyTest {

    @ParameterizedTest(name = "[{index}] {0} secure={1} -> {2}")
    @CsvFileSource(resources = "set-cookie.csv", delimiter = '|', quoteCharacter = '`', ignoreLeadingAndTrailingWhitespace = false)
    void rewrites(String in, boolean secure, String expected, String report) {
        String header = in == null ? "" : in;
        List<String> reports = new ArrayList<>();
        CookiePolicy policy = CookiePolicy.builder().secureCookies(secure).reporter(reports::add).build();
        String out = policy.apply(header);
        assertThat(out).isEqualTo("SAME".equals(expected) ? header : expected);
        if (report == null) {
            assertThat(reports).isEmpty();
        } else {
            assertThat(reports).singleElement().asString().contains(report);
        }
        // Applying twice changes nothing more and reports nothing new.
        assertThat(policy.apply(out)).isEqualTo(out);
        assertThat(reports).hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void controlCharactersNeverParseAndPassThrough() {
        List<String> reports = new ArrayList<>();
        CookiePolicy policy = CookiePolicy.builder().reporter(reports::add).build();
        String injected = "a=1\r\nX-Injected: yes";
        assertThat(policy.apply(injected)).isSameAs(injected);
        assertThat(reports).singleElement().asString().contains("\\r\\n").doesNotContain("\r");
        assertThat(SetCookie.parse("a=1\u0000")).isEmpty();
    }

    @Test
    void defaultSessionAndCsrfCookieNames() {
        assertThat(CookiePolicy.DEFAULT_SESSION_COOKIES).containsExactlyInAnyOrder("sessionid", "JSESSIONID", "SESSION");
        assertThat(CookiePolicy.DEFAULT_CSRF_COOKIES)
                .containsExactlyInAnyOrder("posthog_csrftoken", "csrftoken", "XSRF-TOKEN");
        CookiePolicy policy = CookiePolicy.builder().secureCookies(false).build();
        assertThat(policy.apply("JSESSIONID=1; Path=/")).isEqualTo("JSESSIONID=1; Path=/; HttpOnly; SameSite=Lax");
        assertThat(policy.apply("SESSION=1")).isEqualTo("SESSION=1; HttpOnly; SameSite=Lax");
        assertThat(policy.apply("XSRF-TOKEN=1")).isEqualTo("XSRF-TOKEN=1; SameSite=Lax");
        // Cookie names are case-sensitive: these are other cookies.
        assertThat(policy.apply("jsessionid=1")).isEqualTo("jsessionid=1");
        assertThat(policy.apply("Xsrf-Token=1")).isEqualTo("Xsrf-Token=1");
    }

    @Test
    void hostViolationsAreReportedOncePerName() {
        List<String> reports = new ArrayList<>();
        CookiePolicy policy = CookiePolicy.builder().reporter(reports::add).build();
        for (int i = 0; i < 5; i++) {
            policy.apply("__Host-a=" + i + "; Domain=x.com");
            policy.apply("__Host-b=" + i);
        }
        assertThat(reports).hasSize(2);
    }

    @Test
    void customSessionAndCsrfNames() {
        CookiePolicy policy = CookiePolicy.builder().secureCookies(false)
                .sessionCookies(java.util.Set.of("JSESSIONID")).csrfCookies(java.util.Set.of("XSRF-TOKEN")).build();
        assertThat(policy.apply("JSESSIONID=1; Path=/")).isEqualTo("JSESSIONID=1; Path=/; HttpOnly; SameSite=Lax");
        assertThat(policy.apply("XSRF-TOKEN=1")).isEqualTo("XSRF-TOKEN=1; SameSite=Lax");
        assertThat(policy.apply("sessionid=1")).isEqualTo("sessionid=1");
    }

    @Test
    void setCookieAccessors() {
        SetCookie c = SetCookie.parse("a=1; Path=/x; path=/y; HttpOnly").orElseThrow();
        assertThat(c.attribute("PATH")).contains("/y");
        assertThat(c.attribute("httponly")).contains("");
        assertThat(c.with("Path", "/").toString()).isEqualTo("a=1; Path=/; HttpOnly");
        assertThat(c.without("path").toString()).isEqualTo("a=1; HttpOnly");
        assertThat(SetCookie.of("b", "2").with("Secure", null)).hasToString("b=2; Secure");
    }
}
