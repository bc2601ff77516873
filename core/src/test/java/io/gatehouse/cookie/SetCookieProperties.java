package io.gatehouse.cookie;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class SetCookieProperties {

    /** Whatever parses serialises to a form that parses back to the same cookie, and is then stable. */
    @Property(tries = 1000)
    void parseSerialiseParseIsStable(@ForAll("headers") String header) {
        SetCookie.parse(header).ifPresent(c -> {
            String once = c.toString();
            SetCookie again = SetCookie.parse(once).orElseThrow(() -> new AssertionError("re-parse failed: " + once));
            if (!again.equals(c) || !again.toString().equals(once)) {
                throw new AssertionError(header + " -> " + once + " -> " + again);
            }
        });
    }

    /** The policy's output always parses when its input did, and applying it again changes nothing. */
    @Property(tries = 1000)
    void policyIsIdempotent(@ForAll("headers") String header, @ForAll boolean secure) {
        CookiePolicy p = CookiePolicy.builder().secureCookies(secure).reporter(m -> { }).build();
        String once = p.apply(header);
        if (!p.apply(once).equals(once)) {
            throw new AssertionError(header + " -> " + once + " -> " + p.apply(once));
        }
        if (SetCookie.parse(header).isPresent() && SetCookie.parse(once).isEmpty()) {
            throw new AssertionError("output does not parse: " + once);
        }
    }

    @Provide
    Arbitrary<String> headers() {
        Arbitrary<String> name = Arbitraries.oneOf(
                Arbitraries.strings().withChars("abcXYZ_-019!#$").ofMinLength(1).ofMaxLength(8),
                Arbitraries.of("sessionid", "posthog_csrftoken", "__Host-x", "__Secure-y", "__host-z", ""));
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.strings().withChars("abc123=%!\"/,").ofMaxLength(10),
                Arbitraries.of("\"q\"", "", "a b", "x\\y"));
        Arbitrary<String> attr = Arbitraries.oneOf(
                Arbitraries.of("Secure", "secure", "HttpOnly", "Partitioned", "Path=/", "Path=/a", "path=/",
                        "Domain=example.com", "SameSite=None", "samesite=none", "SameSite=Lax", "SameSite=Strict",
                        "Max-Age=0", "Expires=Wed, 21 Oct 2037 07:28:00 GMT", "Foo", "Foo=bar", "", " ", "=x"),
                Arbitraries.strings().withChars("ab=; \t").ofMaxLength(6));
        return Combinators.combine(name, value, attr.list().ofMaxSize(6), Arbitraries.of("; ", ";", " ;  "))
                .as((n, v, attrs, sep) -> {
                    StringBuilder sb = new StringBuilder(n).append('=').append(v);
                    for (String a : attrs) {
                        sb.append(sep).append(a);
                    }
                    return sb.toString();
                });
    }

}
