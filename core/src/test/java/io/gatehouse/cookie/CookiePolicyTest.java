package io.gatehouse.cookie;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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

    /**
     * A control character (other than a tab) makes a browser ignore the header, and must never reach
     * the wire (CR/LF would split the response): each becomes a space, as Tomcat does when it writes
     * a header, and the header is then rewritten like any other.
     */
    @Test
    void controlCharactersNeverLeave() {
        List<String> reports = new ArrayList<>();
        CookiePolicy policy = CookiePolicy.builder().reporter(reports::add).build();
        String injected = "a=1\r\nX-Injected: yes";
        assertThat(policy.apply(injected)).isEqualTo("a=1  X-Injected: yes; Secure");
        assertThat(reports).singleElement().asString().contains("\\r\\n").contains("control characters")
                .doesNotContain("\r").doesNotContain("\n");
        assertThat(policy.apply("sessionid=a\u0000b; Path=/")).isEqualTo("sessionid=a b; Path=/; Secure; HttpOnly; SameSite=Lax");
        assertThat(policy.apply("a=1\u007f")).isEqualTo("a=1; Secure");
        assertThat(policy.apply("\r\n")).isEqualTo("  ; Secure");
        assertThat(policy.apply("x\nSet-Cookie: admin=1")).isEqualTo("x Set-Cookie: admin=1; Secure");
        // A tab is allowed in a header and kept.
        assertThat(policy.apply("a=x\ty")).isEqualTo("a=x\ty; Secure");
        CookiePolicy lax = CookiePolicy.builder().secureCookies(false).reporter(m -> { }).build();
        assertThat(lax.apply("a=1\r\nX: y")).isEqualTo("a=1  X: y");
        assertThat(SetCookie.parse("a=1\u0000")).isEmpty();
    }

    @Test
    void unparsableHeadersAreReportedOncePerNameAndStillGetSecure() {
        List<String> reports = new ArrayList<>();
        CookiePolicy policy = CookiePolicy.builder().reporter(reports::add).build();
        for (int i = 0; i < 5; i++) {
            assertThat(policy.apply("noequals; Max-Age=" + i)).isEqualTo("noequals; Max-Age=" + i + "; Secure");
            assertThat(policy.apply("=" + i)).isEqualTo("=" + i + "; Secure");
        }
        assertThat(reports).hasSize(2);
        assertThat(reports.get(0)).contains("\"noequals; Max-Age=0\"").contains("does not parse").contains("Secure appended");
        assertThat(policy.apply((String) null)).isNull();
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

    /**
     * What the policy sets on a servlet-style cookie holding {@code attributes}, whose {@code Secure} and
     * {@code HttpOnly} flags say {@code flags}: each flag as {@code Flag}, each attribute as {@code Name=value}
     * ({@code Name=null} to remove).
     */
    private static List<String> changes(CookiePolicy policy, String name, Map<String, String> attributes, String... flags) {
        List<String> changes = new ArrayList<>();
        Map<String, String> held = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        held.putAll(attributes);
        List<String> set = List.of(flags);
        policy.apply(name, held, set.contains("Secure"), set.contains("HttpOnly"), changes::add, (k, v) -> changes.add(k + "=" + v));
        return changes;
    }

    @Test
    void cookieHeldAsAttributesGetsWhatItsHeaderWould() {
        CookiePolicy secure = CookiePolicy.builder().build();
        assertThat(changes(secure, "a", Map.of())).containsExactly("Secure");
        assertThat(changes(secure, "a", Map.of("Path", "/"))).containsExactly("Secure");
        assertThat(changes(secure, "a", Map.of(), "Secure")).isEmpty();
        // The flags come from the typed getters: a map entry alone (Servlet 6.0 spells set as "true", 6.1 as "") is not read.
        assertThat(changes(secure, "a", Map.of("Secure", "true"))).containsExactly("Secure");
        assertThat(changes(secure, "a", Map.of("Secure", ""))).containsExactly("Secure");
        assertThat(changes(secure, "sessionid", Map.of("Path", "/", "HttpOnly", "")))
                .containsExactly("Secure", "HttpOnly", "SameSite=Lax");
        assertThat(changes(secure, "sessionid", Map.of("SameSite", "Strict"), "HttpOnly")).containsExactly("Secure");
        assertThat(changes(secure, "__Host-id", Map.of("Path", "/app", "Domain", "x.example"), "Secure"))
                .containsExactlyInAnyOrder("Path=/", "Domain=null");
    }

    @Test
    void cookieHeldAsAttributesWithoutSecureCookies() {
        CookiePolicy plain = CookiePolicy.builder().secureCookies(false).build();
        assertThat(changes(plain, "a", Map.of("Path", "/"))).isEmpty();
        assertThat(changes(plain, "a", Map.of("SameSite", "None"))).containsExactly("Secure");
        assertThat(changes(plain, "a", Map.of("Partitioned", ""))).containsExactly("Secure");
        assertThat(changes(plain, "a", Map.of("Partitioned", "true"))).containsExactly("Secure");
        assertThat(changes(plain, "a", Map.of("Partitioned", "false"))).isEmpty();
        assertThat(changes(plain, "__Secure-a", Map.of())).containsExactly("Secure");
        assertThat(changes(plain, "a", Map.of("Path", "/", "Max-Age", "-1", "Domain", "x.example"))).isEmpty();
        // JSESSIONID is a session cookie by default (SPEC 5): HttpOnly and SameSite=Lax, Secure only with the flag.
        assertThat(changes(plain, "JSESSIONID", Map.of("Path", "/", "Max-Age", "-1", "Domain", "x.example")))
                .containsExactly("HttpOnly", "SameSite=Lax");
    }

    @Test
    void cookieNameThatIsNotATokenStillGetsSecure() {
        assertThat(changes(CookiePolicy.builder().build(), "a/b", Map.of())).containsExactly("Secure");
        assertThat(changes(CookiePolicy.builder().build(), "a/b", Map.of(), "Secure")).isEmpty();
        assertThat(changes(CookiePolicy.builder().secureCookies(false).build(), "a/b", Map.of())).isEmpty();
    }
}
