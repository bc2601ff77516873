package io.gatehouse.cookie;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The one-pass path of {@link CookiePolicy#apply(String)} answers exactly what the general path
 * answers, on every header built from these pieces (names, separators, attributes, spacing), and
 * takes the one-pass path on the form applications write.
 */
class CookiePolicyAppendOnlyTest {
    private static final List<String> NAMES = List.of("sessionid", "SESSIONID", "posthog_csrftoken", "csrftoken",
            "both", "__Secure-x", "__secure-x", "__Host-y", "other", " sessionid", "sessionid ", "");
    private static final List<String> VALUES = List.of("abc", "", "a b", " abc", "abc ", "x=y", "\"q\"");
    private static final List<String> SEPARATORS = List.of("; ", ";", ";  ", " ; ", ";\t", "; ;");
    private static final List<String> ATTRIBUTES = List.of("Path=/", "Secure", "secure", "SECURE=1", "HttpOnly",
            "httponly", "SameSite=Lax", "SameSite=None", "samesite=none", "SameSite=", "SameSite = None",
            "Partitioned", "Domain=example.com", "=x", "Max-Age=0", "", " ", "Securé", "ſecure", "HttpOnly ",
            "Path =/", "Path= /");

    @Test
    void answersAsTheGeneralPath() {
        int fast = 0;
        for (boolean secure : new boolean[] {true, false}) {
            CookiePolicy policy = CookiePolicy.builder().secureCookies(secure).sessionCookies(Set.of("sessionid", "both"))
                    .csrfCookies(Set.of("posthog_csrftoken", "csrftoken", "both")).reporter(m -> { }).build();
            for (String name : NAMES) {
                for (String value : VALUES) {
                    String pair = name + "=" + value;
                    fast += check(policy, pair);
                    for (String sep : SEPARATORS) {
                        for (String a : ATTRIBUTES) {
                            fast += check(policy, pair + sep + a);
                            for (String b : ATTRIBUTES) {
                                fast += check(policy, pair + sep + a + "; " + b);
                            }
                        }
                    }
                }
            }
        }
        assertThat(fast).isGreaterThan(10_000);
    }

    @Test
    void takesTheOnePassPathOnTheUsualForm() {
        CookiePolicy policy = CookiePolicy.builder().secureCookies(true).build();
        assertThat(policy.appendOnly("sessionid=abc; Path=/; HttpOnly; SameSite=Lax"))
                .isEqualTo("sessionid=abc; Path=/; HttpOnly; SameSite=Lax; Secure");
        assertThat(policy.appendOnly("sessionid=abc; Path=/")).isEqualTo("sessionid=abc; Path=/; Secure; HttpOnly; SameSite=Lax");
        assertThat(policy.appendOnly("csrftoken=abc; Path=/")).isEqualTo("csrftoken=abc; Path=/; Secure; SameSite=Lax");
        assertThat(policy.appendOnly("a=b;Path=/")).isNull();
        assertThat(policy.appendOnly("__Host-a=b; Path=/")).isNull();
    }

    private static int check(CookiePolicy policy, String header) {
        String onePass = policy.appendOnly(header);
        if (onePass == null) {
            return 0;
        }
        assertThat(onePass).as(header).isEqualTo(policy.applyParsed(header));
        return 1;
    }
}
